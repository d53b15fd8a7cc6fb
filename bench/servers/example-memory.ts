// The Express example app for the memory benchmark, with a way to read its heap: on the IPC message
// "heap" it runs a full garbage collection (node --expose-gc) and replies with the heap in use.
import { readConfig } from '../../examples/shared/config.js';
import { createAppContext } from '../../examples/shared/context.js';
import { createApp } from '../../examples/express-app/app.js';

import { announce } from './listen.js';

const context = await createAppContext(readConfig(process.env, process.env.DATA_DIR ?? ''), 'express-app');
const server = createApp(context).listen(0, '127.0.0.1');
announce(server);

process.on('message', (message) => {
  if (message !== 'heap') {
    return;
  }
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  process.send?.({ heapUsed: process.memoryUsage().heapUsed });
});
