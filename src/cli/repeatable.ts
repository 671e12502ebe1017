// Commander's accumulator for an option that may be given more than once.

/** Each occurrence appends its value: `--resolver a --resolver b` gives ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
