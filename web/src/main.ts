import { createApp } from 'vue';
import App from './App.vue';
import { automation } from './composables/assistant';
import { registerOffline } from './offline/register';
import './style.css';

// The same requests answered on the device or by the server, as raw JSON: for scripts, the console and the browser tests.
(window as unknown as { quiddler: typeof automation }).quiddler = automation;

createApp(App).mount('#app');
// The offline copy (offline/sw.ts): kept after the first visit, so the page opens with no connection.
registerOffline();
