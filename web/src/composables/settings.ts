/** Player settings remembered between visits (localStorage). */
import { reactive, watch } from 'vue';
import { COMPUTE_CHOICES, type Compute } from './assistant';

export type Facing = 'environment' | 'user';

export interface Settings {
  showBoxes: boolean;
  facing: Facing;
  /** Where photos are read and turns solved: automatic, on this device, or on the server. */
  compute: Compute;
}

const KEY = 'quiddler-assistant.settings';

function load(): Settings {
  // The card count is not a setting: the reader counts, and a count the player gives is a hint for one photo.
  const defaults: Settings = { showBoxes: true, facing: 'environment', compute: 'auto' };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
    return {
      showBoxes: typeof saved.showBoxes === 'boolean' ? saved.showBoxes : defaults.showBoxes,
      facing: saved.facing === 'user' ? 'user' : defaults.facing,
      compute: COMPUTE_CHOICES.includes(saved.compute as Compute) ? (saved.compute as Compute) : defaults.compute,
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
