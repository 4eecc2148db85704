/** Player settings remembered between visits (localStorage). */
import { reactive, watch } from 'vue';

export type Facing = 'environment' | 'user';

export interface Settings {
  /** Cards in the hand this round (3..10). */
  nCards: number;
  showBoxes: boolean;
  facing: Facing;
}

const KEY = 'quiddler-assistant.settings';
export const MIN_CARDS = 3;
export const MAX_CARDS = 10;

function load(): Settings {
  const defaults: Settings = { nCards: 5, showBoxes: true, facing: 'environment' };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    const n = Number(saved.nCards);
    return {
      nCards: Number.isInteger(n) && n >= MIN_CARDS && n <= MAX_CARDS ? n : defaults.nCards,
      showBoxes: typeof saved.showBoxes === 'boolean' ? saved.showBoxes : defaults.showBoxes,
      facing: saved.facing === 'user' ? 'user' : defaults.facing,
    };
  } catch {
    return defaults; // storage blocked or corrupt: plain defaults
  }
}

let settings: Settings | undefined;

export function useSettings(): Settings {
  if (!settings) {
    settings = reactive(load());
    watch(settings, (value) => {
      try {
        localStorage.setItem(KEY, JSON.stringify(value));
      } catch {
        /* private mode: not remembered */
      }
    });
  }
  return settings;
}
