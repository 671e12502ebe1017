// `--trace` and FEDCHECK_TRACE: the scheduler's per-probe timeline, printed on stderr once the report is out,
// so stdout (the report a script reads) is the same with or without it and no spinner line is interleaved.

import type { RunTrace } from '../gather/scheduler.js';
import { renderTraceJson, renderTraceText } from '../report/trace.js';

export interface TraceOutput {
  /** Given to the run when a trace is wanted: it hands the trace over when gathering ends. */
  record?: (trace: RunTrace) => void;
  /** Writes the trace recorded, if any. */
  print(stream: NodeJS.WritableStream): void;
}

/** FEDCHECK_TRACE=json: one line of JSON (for the benchmarks); --trace or any other value but 0: the timeline. */
export function traceOutput(flag: boolean | undefined, env: NodeJS.ProcessEnv): TraceOutput {
  const value = env.FEDCHECK_TRACE;
  const render = value === 'json' ? renderTraceJson : flag === true || (value !== undefined && value !== '' && value !== '0') ? renderTraceText : undefined;
  if (render === undefined) return { print: () => {} };
  let recorded: RunTrace | undefined;
  return {
    record: (trace) => {
      recorded = trace;
    },
    print: (stream) => {
      if (recorded !== undefined) stream.write(render(recorded));
    },
  };
}
