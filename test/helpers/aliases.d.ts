// Express 4 and Koa 2 are installed under npm aliases beside Express 5 and Koa 3; their types are
// close enough to the current majors' for the test harness.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
