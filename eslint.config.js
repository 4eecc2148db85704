// ESLint, once for the whole repository: TypeScript (api/, test/, bench/, scripts/,
// dictionary/) and the Vue page (web/). Formatting is Prettier's (eslint-config-prettier
// turns off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', '.deploy/', 'node_modules/', 'model/', 'test-results/', '.tmp/', '.tmp-*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] }, globals: globals.browser },
  },
  {
    files: ['web/src/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['api/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', 'dictionary/**/*.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      // `_name` marks a value taken apart on purpose and not used.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Components named by what they are (App, CameraPanel…), one word is fine for the root.
      'vue/multi-word-component-names': 'off',
    },
  },
  prettier,
);
