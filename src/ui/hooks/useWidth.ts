import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The width of an element, followed as it resizes (0 before the first layout): SVG charts that fill their container. */
export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const host = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [host, width];
}
