/**
 * The Azure Functions entry point (package.json "main"): the settings are read
 * once, as the function app starts, and every function is registered over them.
 */
import { app } from '@azure/functions';
import { createServices } from './app/services.js';
import { apiFunctions } from './functions/index.js';
import { settings } from './settings.js';

for (const [name, options] of Object.entries(apiFunctions(createServices(settings())))) app.http(name, options);
