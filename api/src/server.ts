/**
 * The embedded local app server: one port serving the built web page at / and
 * the Azure Functions at /api/<name>, by calling the very handlers Azure runs.
 * Run: npm start (PORT, HOST and the settings in settings.ts apply).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import azureFunctions from '@azure/functions';
import type { HttpFunctionOptions } from '@azure/functions';
import { adviserFor, closeAdvisers } from './app/advise-pool.js';
import { createServices } from './app/services.js';
import { DomainError } from './errors.js';
import { apiFunctions } from './functions/index.js';
import { loadDictionary } from './game/dictionary.js';
import { API_HEADERS } from './http/respond.js';
import { ClientGoneError, withRequestSignal } from './request-signal.js';
import { PROJECT_ROOT, settings as processSettings, type Settings } from './settings.js';
import { RETRY_AFTER_S } from './vision/detect.js';
import { closeDetectors, loadDetector } from './vision/model.js';

// A CommonJS package: Node's ESM loader cannot see these as named exports.
const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

/** Request bodies above this are refused before a handler sees them: Azure's own limit, so local and deployed answer alike. */
const MAX_REQUEST_BYTES = 30 * 1024 * 1024;
/**
 * The bytes of request bodies held at once, every request together: past it a
 * request is shed (503 with Retry-After) as it uploads, not buffered. Without
 * it 200 clients each sending 30 MB would hold 6 GB; with it, bodies hold at
 * most about eight large phone photos' worth, while the reader takes two
 * photos at a time anyway.
 */
export const MAX_BUFFERED_BYTES = 128 * 1024 * 1024;
/**
 * On SIGTERM, requests in flight get this long to finish; then photos still
 * waiting are answered 503 and readings stop at their next step, so the
 * process exits well within the 5 s a supervisor waits.
 */
const SHUTDOWN_GRACE_MS = 2_000;

/** By extension, as staticwebapp.config.json's mimeTypes give them on Azure; anything else is application/octet-stream. */
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  // The device path: WebAssembly.instantiateStreaming takes only application/wasm.
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.dawg': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The page gets the same headers Azure Static Web Apps adds (CSP,
 * Permissions-Policy…), read from staticwebapp.config.json, so what works
 * locally works deployed.
 */
const PAGE_HEADERS: Record<string, string> = (() => {
  try {
    return JSON.parse(readFileSync(join(PROJECT_ROOT, 'staticwebapp.config.json'), 'utf8')).globalHeaders ?? {};
  } catch {
    return {}; // the deploy package has no page to serve
  }
})();

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface ServerOptions extends Partial<Settings> {
  /** Where request lines go; null for silence. */
  log?: ((line: string) => void) | null;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // These settings serve every request: what is warmed here is what answers.
  const { log: _log, ...overrides } = options;
  const config: Settings = { ...processSettings(), ...overrides };
  // Keyed by the path under /api/ each is served at (its route, or else its name), as Azure serves them.
  const functions: Functions = new Map(Object.entries(apiFunctions(createServices(config))).map(([name, fn]) => [fn.route ?? name, fn]));
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  // Warm up: the first request should not pay for loading the dictionary (and, in game threads, compiling the
  // search) or loading the model. Both at once: the detector starts in a thread of its own.
  await Promise.all([
    config.gameThreads > 0 ? adviserFor(config.dictionaryPath, config.gameThreads).warm() : loadDictionary(config.dictionaryPath),
    loadDetector(config).catch((error: Error) =>
      console.warn(`the card detector could not be loaded (${error.message}); /api/cards will fail until it can`),
    ),
  ]);

  let closing = false;
  // Each request's work, to stop: when its client hangs up, or when a shutdown's grace period is over.
  const inFlight = new Set<AbortController>();
  const bodies = new ByteBudget(MAX_BUFFERED_BYTES);
  const server = createServer((req, res) => {
    const started = performance.now();
    const elapsed = () => `${(performance.now() - started).toFixed(1)} ms`;
    if (closing) res.setHeader('Connection', 'close');
    // A client that hangs up before its answer: its work is dropped (request-signal.ts), and that is one line, not a stack trace.
    const work = new AbortController();
    inFlight.add(work);
    res.on('close', () => {
      inFlight.delete(work);
      if (res.writableFinished) return;
      work.abort(new ClientGoneError());
      log?.(`${req.method} ${req.url} the client went away after ${elapsed()}; its work was dropped`);
    });
    res.on('finish', () => log?.(`${req.method} ${req.url} ${res.statusCode} ${elapsed()}`));
    withRequestSignal(work.signal, () => handle(req, res, config, functions, bodies)).catch((error) => {
      if (res.destroyed) return; // the client went away: said once, on 'close'
      console.error('local server error:', error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal server error' } });
      else res.destroy();
    });
  });
  // A client that trickles its body is cut off after a minute. Idle keep-alive
  // connections live 30 s (Node's 5 s default races clients that reuse a
  // connection just as the server drops it, and they see ECONNRESET/EPIPE).
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    server,
    // Stops accepting, lets requests in flight finish (for SHUTDOWN_GRACE_MS;
    // then what is left is answered 503), and closes each keep-alive
    // connection as soon as it goes idle.
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const grace = setTimeout(() => inFlight.forEach((work) => work.abort(shuttingDown())), SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

const shuttingDown = () =>
  new DomainError('busy', 'shutting_down', `the server is shutting down; try again in ${RETRY_AFTER_S} s`, { retry_after_s: RETRY_AFTER_S });

/** By the path under /api/ (a Map: a name such as __proto__ is just a name that is not there). */
type Functions = Map<string, HttpFunctionOptions>;

async function handle(req: IncomingMessage, res: ServerResponse, config: Settings, functions: Functions, bodies: ByteBudget): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    const name = /^\/api\/([^/]+)\/?$/.exec(url.pathname)?.[1];
    return callFunction(functions, name, req, res, url, bodies);
  }
  return serveStatic(url.pathname, req, res, config.webRoot);
}

async function callFunction(
  functions: Functions,
  name: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  bodies: ByteBudget,
): Promise<void> {
  const fn = name === undefined ? undefined : functions.get(name);
  if (!fn) {
    const names = [...functions.keys()].map((n) => `/api/${n}`);
    const path = url.pathname.length > 60 ? `${url.pathname.slice(0, 60)}…` : url.pathname;
    return sendJson(res, 404, { error: { code: 'not_found', message: `nothing at ${path}; the API is ${names.join(', ')}` } });
  }
  const method = req.method ?? 'GET';
  if (!fn.methods?.includes(method as never)) {
    res.setHeader('Allow', fn.methods?.join(', ') ?? '');
    return sendJson(res, 405, {
      error: { code: 'method_not_allowed', message: `${method} is not allowed on /api/${name}; use ${fn.methods?.join(' or ')}` },
    });
  }
  const body = await readBody(req, bodies);
  if (body === 'too_large') {
    return sendJson(res, 413, {
      error: { code: 'body_too_large', message: `the request body is over ${MAX_REQUEST_BYTES / 1024 / 1024} MB` },
    });
  }
  if (body === 'busy') {
    res.setHeader('Retry-After', String(RETRY_AFTER_S));
    return sendJson(res, 503, {
      error: {
        code: 'busy',
        message: `the server is receiving too many uploads at once; try again in ${RETRY_AFTER_S} s`,
        retry_after_s: RETRY_AFTER_S,
      },
    });
  }
  // The body's bytes count against the budget until the answer is sent: the handler holds them (and copies of them) until then.
  if (res.closed) bodies.give(body.length);
  else res.once('close', () => bodies.give(body.length));
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
  );
  const request = new HttpRequest({ method, url: url.href, headers, body: { bytes: body } });
  const context = new InvocationContext({ functionName: name, invocationId: randomUUID() });
  const result = new HttpResponse(await fn.handler(request, context));
  const bytes = Buffer.from(await result.arrayBuffer());
  if (res.destroyed) return; // the client went away meanwhile: nobody to answer
  for (const [header, value] of Object.entries(API_HEADERS)) result.headers.set(header, value);
  res.writeHead(result.status, Object.fromEntries(result.headers.entries()));
  res.end(bytes);
}

/** Bytes that may still be taken, shared by every request of a server. */
class ByteBudget {
  constructor(private free: number) {}

  take(bytes: number): boolean {
    if (bytes > this.free) return false;
    this.free -= bytes;
    return true;
  }

  give(bytes: number): void {
    this.free += bytes;
  }
}

/**
 * The whole body, its bytes taken from `budget` (the caller gives them back);
 * or 'too_large' once it passes the cap, or 'busy' once the budget runs out:
 * then what was buffered is let go and the rest is drained, not buffered.
 */
function readBody(req: IncomingMessage, budget: ByteBudget): Promise<Buffer | 'too_large' | 'busy'> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let refused: 'too_large' | 'busy' | undefined;
    const letGo = (why: 'too_large' | 'busy') => {
      refused = why;
      budget.give(size);
      chunks = [];
    };
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      if (size + chunk.length > MAX_REQUEST_BYTES) return letGo('too_large');
      if (!budget.take(chunk.length)) return letGo('busy');
      size += chunk.length;
      chunks.push(chunk);
    });
    // Once the body is whole its bytes are the caller's to give back: a late 'error' or 'close' must not give them twice.
    let whole = false;
    req.on('end', () => {
      whole = !refused;
      resolve(refused ?? Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (!refused && !whole) letGo('busy');
      reject(error);
    });
    // A client that hangs up mid-body may end the stream with neither 'end' nor 'error'.
    req.on('close', () => {
      if (req.complete) return;
      if (!refused && !whole) letGo('busy');
      reject(new ClientGoneError());
    });
  });
}

async function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse, webRoot: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end('bad path');
    return;
  }
  const file = normalize(join(webRoot, decoded));
  if (file !== webRoot && !file.startsWith(webRoot + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  // Missing files fall back to the page itself, as the Static Web App's navigationFallback does.
  const found = await fileSize(file);
  // A missing build file is missing (the page's worker must not get the page instead of the model), as Azure's
  // navigationFallback excludes /assets/*; any other path falls back to the page itself.
  if (found === undefined && decoded.startsWith('/assets/')) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const target = found === undefined ? join(webRoot, 'index.html') : file;
  const size = found ?? (await fileSize(target));
  if (size === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The web page is not built (web/dist is missing). The API is served at /api/game.\n');
    return;
  }
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'Content-Type': MIME[extname(target)] ?? 'application/octet-stream',
    'Cache-Control': cacheControl(target, webRoot),
    // The page's worker shows the model's download against this.
    'Content-Length': String(size),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(target).pipe(res);
}

/**
 * Hashed build output (web/dist/assets/) never changes under its name. Every
 * other file is checked on each use: index.html, and sw.js above all, since a
 * new sw.js is how browsers learn of a new deploy (as the /sw.js route in
 * staticwebapp.config.json says on Azure).
 */
function cacheControl(file: string, webRoot: string): string {
  return file.startsWith(join(webRoot, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The file's size in bytes, or undefined when there is no such file. */
async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...API_HEADERS, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function main(): Promise<void> {
  try {
    processSettings();
  } catch (error) {
    console.error(`quiddler server: ${(error as Error).message}`);
    process.exit(2);
  }
  const running = await startServer();
  // Said once: the Azure Functions host is not here; its handlers run in this process, with no test-mode warnings.
  console.log(`Quiddler assistant on ${running.url}  (the API's Azure functions run in-process at ${running.url}/api/*; Ctrl+C to stop)`);
  const stop = (signal: string) => {
    console.log(`${signal}: shutting down`);
    const forced = setTimeout(() => process.exit(1), 5_000);
    forced.unref();
    // Every request answered, then the detector's thread stopped once idle: exiting under its native work can abort.
    running
      .close()
      .then(() => Promise.all([closeDetectors(), closeAdvisers()]))
      .then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`could not start the server: ${(error as Error).message}`);
    process.exit(1);
  });
}
