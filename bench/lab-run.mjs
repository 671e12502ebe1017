// Times full runs of every lab domain: how long `fedcheck check` takes end to end, and how the
// concurrency limit changes it. Run by hand after `npm run build`: node bench/lab-run.mjs [rounds]
import { startLab } from '../dist/src/lab/lab.js';
import { runLive } from '../dist/src/engine/run.js';

const rounds = Number(process.argv[2] ?? 5);
const lab = await startLab();
try {
  for (const concurrency of [1, 4, 16, 64]) {
    const times = [];
    let probes = 0;
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      const { saved } = await runLive({
        targets: lab.targets,
        resolvers: [lab.resolver],
        authoritativePort: lab.authoritativePort,
        vantage: 'external',
        allowPrivate: lab.allowPrivate,
        // Short, so the lab's deliberately silent DNS name does not dominate the figure.
        timeoutMs: 300,
        deadlineMs: 60_000,
        concurrency,
      });
      times.push(performance.now() - started);
      probes = Object.keys(saved.facts).length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: ${lab.targets.length} domains, ${probes} probes, ` +
        `median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${rounds} runs`,
    );
  }
} finally {
  await lab.close();
}
