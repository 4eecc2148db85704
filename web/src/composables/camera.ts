/** The live camera: getUserMedia with a front/back switch, and frame capture to a JPEG data URL. */
import { onBeforeUnmount, ref, shallowRef, type Ref } from 'vue';
import type { Facing } from './settings';

export type CameraState = 'off' | 'starting' | 'on' | 'error';

/** Longest side of a captured frame (the detector works on far less). */
const MAX_SIDE = 1600;

export function useCamera(video: Ref<HTMLVideoElement | null>) {
  const state = ref<CameraState>('off');
  const error = ref('');
  const stream = shallowRef<MediaStream | null>(null);
  const supported = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  function stop(): void {
    stream.value?.getTracks().forEach((track) => track.stop());
    stream.value = null;
    if (video.value) video.value.srcObject = null;
    if (state.value !== 'error') state.value = 'off';
  }

  async function start(facing: Facing): Promise<void> {
    stop();
    error.value = '';
    if (!supported) {
      state.value = 'error';
      error.value = window.isSecureContext
        ? 'This browser cannot use a camera here. Choose, drop or paste a photo instead.'
        : 'The camera only works on a secure (https) page. Choose, drop or paste a photo instead.';
      return;
    }
    state.value = 'starting';
    try {
      const media = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 960 } },
      });
      stream.value = media;
      const el = video.value;
      if (el) {
        el.srcObject = media;
        await el.play().catch(() => undefined); // autoplay + muted normally starts it anyway
      }
      state.value = 'on';
    } catch (e) {
      state.value = 'error';
      error.value = describe(e as DOMException);
    }
  }

  /** The current frame as a JPEG data URL, or null before the first frame. */
  function capture(): string | null {
    const el = video.value;
    if (!el || !el.videoWidth || !el.videoHeight) return null;
    const scale = Math.min(1, MAX_SIDE / Math.max(el.videoWidth, el.videoHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(el.videoWidth * scale);
    canvas.height = Math.round(el.videoHeight * scale);
    canvas.getContext('2d')!.drawImage(el, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.92);
  }

  onBeforeUnmount(stop);
  return { state, error, supported, start, stop, capture };
}

function describe(e: DOMException): string {
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was refused. Allow the camera in your browser settings, or choose, drop or paste a photo instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Choose, drop or paste a photo instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is busy or could not start (another app may be using it). Choose, drop or paste a photo instead.';
    default:
      return `The camera could not start (${e?.message || e?.name || 'unknown error'}). Choose, drop or paste a photo instead.`;
  }
}
