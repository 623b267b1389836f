import { useCallback, useState } from 'react';
import { REVIEWER_KEY } from '../review-format.js';

function stored(): string {
  try {
    return window.localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The reviewer's name, remembered in localStorage between visits (kept in memory only where storage is refused). */
export function useReviewer(): [string, (name: string) => void] {
  const [name, setName] = useState(stored);
  const set = useCallback((v: string) => {
    setName(v);
    try {
      if (v.trim()) window.localStorage.setItem(REVIEWER_KEY, v);
      else window.localStorage.removeItem(REVIEWER_KEY);
    } catch {
      // storage refused (private mode, quota): the name lasts as long as the page
    }
  }, []);
  return [name, set];
}
