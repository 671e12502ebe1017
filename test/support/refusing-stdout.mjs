// Preloaded with `node --import` to force an internal error: standard output throws on the first write, as no real
// input can make fedcheck fail, so the test sees what a user sees when fedcheck has a bug.
process.stdout.write = () => {
  throw new Error('standard output refused by the test');
};
