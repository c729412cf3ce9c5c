/**
 * A child process for tests/signals.test.ts: installs the commands' interrupt handling around a
 * stop that never finishes, prints "stop SIGNAL" when it is asked to stop, and waits.
 */
import { onInterrupt } from "../../ui/terminal/interrupts.ts";

onInterrupt((signal) => console.log(`stop ${signal}`));
console.log("ready");
setInterval(() => {}, 1000);
