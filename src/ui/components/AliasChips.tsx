import type { ModelAlias } from '../../sdk/registry-types.js';
import { versionPath } from '../model-format.js';
import { Link } from './Link.js';

interface Props {
  readonly model: string;
  readonly aliases: readonly ModelAlias[];
  /** Aliases that need an approved version; shown with a lock. */
  readonly protectedAliases?: readonly string[];
  /** Show the version each alias points at (and link to it). */
  readonly withVersion?: boolean;
}

/** A small padlock (drawn, so it needs no emoji font). */
function LockIcon() {
  return (
    <svg className="chip-lock" width="9" height="11" viewBox="0 0 9 11" role="img" aria-label="protected">
      <path d="M2 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <rect x="0.5" y="5" width="8" height="5.5" rx="1" fill="currentColor" />
    </svg>
  );
}

/** Aliases as chips: `@champion → v3`, linking to the version. */
export function AliasChips({ model, aliases, protectedAliases = [], withVersion = true }: Props) {
  if (aliases.length === 0) return <span className="muted">—</span>;
  return (
    <span className="chips">
      {aliases.map((a) => {
        const locked = protectedAliases.includes(a.alias);
        const text = (
          <>
            {locked && <LockIcon />}
            @{a.alias}
            {withVersion && <span className="chip-version"> → v{a.version}</span>}
          </>
        );
        return withVersion ? (
          <Link
            key={a.alias}
            to={versionPath(model, a.version)}
            className={locked ? 'chip chip-protected' : 'chip'}
            data-testid="alias-chip"
            title={locked ? `${a.alias} is protected: it may only point at an approved version` : `${a.alias} points at version ${a.version}`}
          >
            {text}
          </Link>
        ) : (
          <span key={a.alias} className={locked ? 'chip chip-protected' : 'chip'} data-testid="alias-chip">
            {text}
          </span>
        );
      })}
    </span>
  );
}
