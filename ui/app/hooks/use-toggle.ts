/** A boolean the user flips with a key (help overlay, unfolded latency). */
import { useCallback, useState } from "react";

export function useToggle(initial = false): [value: boolean, toggle: () => void, set: (value: boolean) => void] {
  const [value, setValue] = useState(initial);
  const toggle = useCallback(() => setValue((v) => !v), []);
  return [value, toggle, setValue];
}
