/**
 * Text as it is generated, cut at stop strings: `push` takes the next piece and returns what may be sent to the
 * client now. Text that could still turn out to be the start of a stop string is held back until the next piece
 * says otherwise; once a stop string appears, everything from its first character on is dropped (OpenAI and
 * llama.cpp do not return the stop string).
 */
export class StopMatcher {
  private text = '';
  private sent = 0;
  private readonly longest: number;
  /** Set once a stop string was found: the generation must end. */
  stopped = false;

  constructor(private readonly stops: readonly string[]) {
    this.longest = stops.reduce((n, s) => Math.max(n, s.length), 0);
  }

  /** Appends `piece`; returns the text that is now safe to send (possibly ''). */
  push(piece: string): string {
    if (this.stopped) return '';
    this.text += piece;
    if (this.longest === 0) {
      const out = this.text.slice(this.sent);
      this.sent = this.text.length;
      return out;
    }
    // Sent text never ends with the start of a stop string (that part is held back), so a stop string can only
    // begin in the unsent tail.
    let cut = -1;
    for (const s of this.stops) {
      const at = this.text.indexOf(s, this.sent);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.stopped = true;
      const out = this.text.slice(this.sent, Math.max(this.sent, cut));
      this.text = this.text.slice(0, cut);
      this.sent = this.text.length;
      return out;
    }
    const hold = this.heldBack();
    const end = this.text.length - hold;
    if (end <= this.sent) return '';
    const out = this.text.slice(this.sent, end);
    this.sent = end;
    return out;
  }

  /** Characters at the end of the text that are a proper prefix of some stop string. */
  private heldBack(): number {
    const tail = this.text.slice(Math.max(this.sent, this.text.length - this.longest + 1));
    for (let i = 0; i < tail.length; i++) {
      const suffix = tail.slice(i);
      if (this.stops.some((s) => s.startsWith(suffix))) return suffix.length;
    }
    return 0;
  }

  /** At the end of generation: whatever was held back (it never became a stop string). */
  flush(): string {
    const out = this.text.slice(this.sent);
    this.sent = this.text.length;
    return out;
  }

  /** The whole text returned so far (held-back text excluded until `flush`). */
  get output(): string {
    return this.text.slice(0, this.sent);
  }
}
