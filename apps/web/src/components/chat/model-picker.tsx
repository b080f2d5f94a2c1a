import type { ModelInfo } from '../../api/types.ts';

/** The model Charlie answers with; the built-in offline model is labelled as such. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: ModelInfo[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  if (models.length === 0) return null;
  return (
    <label className="model-picker">
      <span>Model</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
            {m.offline ? ' (offline)' : ` · ${m.providerName}`}
            {m.default ? ' — default' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
