// Starts the Express example: `npm start`. Settings come from PORT, HOST, DATA_DIR and REDIS_URL.
import { fileURLToPath } from 'node:url';

import { printStartBanner } from '../shared/banner.js';
import { readConfig } from '../shared/config.js';
import { createAppContext } from '../shared/context.js';
import { listen } from '../shared/listen.js';
import { createApp } from './app.js';

const config = readConfig(process.env, fileURLToPath(new URL('./data/', import.meta.url)));
const context = await createAppContext(config, 'express-app');
const server = createApp(context).listen(config.port, config.host);

const url = await listen(server, context);
printStartBanner('bulwark Express example', url, { page: true });
