import type { GateVerdict } from '../../shared/domain/action';
import { Field } from '../ui/field';

/**
 * The gate's refusal, in its own words, and the override: the node's name typed again. The
 * matching is exact, as the core checks it (a wrong name is refused there too).
 */
export function GateRefusal({ gate, node, value, onValue }: { gate: GateVerdict; node: string; value: string; onValue(v: string): void }) {
  const mismatch = value.length > 0 && value !== node;
  return (
    <div className="gate" role="alert" data-testid="gate-refusal">
      <div className="gate-title">The safety gate refuses this</div>
      <ul className="gate-reasons">
        {gate.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      <p className="gate-explain">
        It would leave fewer than {gate.minActive} UP active server{gate.minActive === 1 ? '' : 's'} on a load balancer: clients could get
        errors. Only override if you know traffic is handled elsewhere. The override is recorded in the audit log.
      </p>
      <Field
        label={
          <>
            To override, type <strong className="mono">{node}</strong>
          </>
        }
        value={value}
        onValue={onValue}
        autoComplete="off"
        spellCheck={false}
        testid="override-input"
        error={mismatch ? `does not match "${node}"` : undefined}
      />
    </div>
  );
}
