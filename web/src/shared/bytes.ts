/**
 * Bytes as both workers of the page handle them: the device worker (the model
 * and dictionary it loads) and the service worker (the files it keeps). Each is
 * bundled on its own, so this is their one shared copy. No DOM: it runs in any
 * worker scope.
 */

/** The whole stream in one array; `onChunk` hears each chunk's size as it arrives. */
export async function readStream(stream: ReadableStream<Uint8Array>, onChunk?: (bytes: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    length += read.value.byteLength;
    onChunk?.(read.value.byteLength);
  }
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** The SHA-256 of `bytes`, in hex (as web/offline-plugin.ts lists the files). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
