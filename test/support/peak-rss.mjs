// Preloaded into a spawned fedcheck (`node --import`): at exit, writes the process's peak resident set size in
// kilobytes to file descriptor 3, so a test can bound the memory a hostile input costs without timing anything.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(3, `${process.resourceUsage().maxRSS}\n`);
});
