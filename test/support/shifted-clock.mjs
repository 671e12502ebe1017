// Preloaded into a spawned fedcheck (`node --import`): moves this process's wall clock FEDCHECK_TEST_CLOCK_SHIFT_DAYS
// days ahead (`new Date()`, `Date.now()`), so a test can show that replaying facts judges by the clock the facts were
// gathered at, never by the moment of the replay. Dates built from a value are left as they are.
const shiftMs = Number(process.env.FEDCHECK_TEST_CLOCK_SHIFT_DAYS ?? 0) * 86_400_000;
const RealDate = Date;

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shiftMs);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shiftMs;
  }
}

globalThis.Date = ShiftedDate;
