// Starts the Express example: `npm start`. Settings come from PORT, HOST, DATA_DIR and REDIS_URL.
import { fileURLToPath } from 'node:url';

import { printStartBanner } from '../shared/banner.js';
import { readConfig } from '../shared/config.js';
import { createAppContext, type AppContext } from '../shared/context.js';
import { listen } from '../shared/listen.js';
import { createApp } from './app.js';

let context: AppContext | undefined;
try {
  const config = readConfig(process.env, fileURLToPath(new URL('./data/', import.meta.url)));
  context = await createAppContext(config, 'express-app');
  const server = createApp(context).listen(config.port, config.host);

  const url = await listen(server, context);
  printStartBanner('bulwark Express example', url, { page: true });
} catch (error) {
  // A wrong setting or a busy port is one line with the fix, not a stack trace.
  process.stderr.write(`Could not start the Express example: ${(error as Error).message}\n`);
  await context?.close();
  process.exit(1);
}
