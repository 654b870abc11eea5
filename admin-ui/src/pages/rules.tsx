import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { change, get } from '../api';
import { useId, useLoad } from '../hooks';
import { useChangeControl } from '../session';
import type { Rule } from '../types';
import { ErrorBox, Loading, Ok, ReasonField, ViewerNote } from '../components/common';

interface Draft {
  name: string;
  description: string;
  pattern: string;
  flags: string;
  enabled: boolean;
}

const EMPTY: Draft = { name: '', description: '', pattern: '', flags: 'g', enabled: true };

/** What the rule does to a sample, with the same JavaScript regex engine the server uses. */
function tryRule(d: Draft, sample: string): { text: string; error: string } {
  if (!d.pattern || !sample) return { text: '', error: '' };
  try {
    const flags = d.flags.includes('g') ? d.flags : d.flags + 'g';
    return { text: sample.replace(new RegExp(d.pattern, flags), `<${d.name || 'rule'}>`), error: '' };
  } catch (e) {
    return { text: '', error: (e as Error).message };
  }
}

export function RulesPage() {
  const rules = useLoad(() => get<Rule[]>('/rules'), 'rules');
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [done, setDone] = useState('');
  const ctl = useChangeControl();
  useEffect(() => { document.title = 'Rules · Playground migration admin'; }, []);

  const saved = async (text: string) => {
    setEditing(null);
    setAdding(false);
    setDone(text);
    await rules.reload();
  };

  return (
    <section class="page">
      <div class="page-head">
        <h1>Platform-difference rules</h1>
        <button type="button" class="primary" onClick={() => { setAdding(true); setEditing(null); setDone(''); }} {...ctl}>Add rule</button>
      </div>
      <p class="note">Each enabled rule masks its matches on both sides before outputs are compared, so known differences between NaCl and linux-amd64 count as <em>expected</em> rather than <em>mismatch</em>. Built-in rules can be edited and disabled, not deleted.</p>
      <ViewerNote />
      {done && <Ok>{done}</Ok>}
      {adding && <RuleForm initial={EMPTY} creating onCancel={() => setAdding(false)} onSaved={saved} />}
      <ErrorBox error={rules.error} title="Could not load the rules:" />
      {!rules.data && !rules.error && <Loading what="the rules" />}
      {rules.data && (
        <div class="card">
          <div class="table-scroll">
            <table class="data rules">
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Enabled</th><th scope="col">Description</th><th scope="col">Pattern</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {rules.data.map((r) => (
                  <Fragment key={r.name}>
                    <tr data-rule={r.name}>
                      <th scope="row"><code>{r.name}</code>{r.builtIn && <span class="tag">built-in</span>}</th>
                      <td>{r.enabled ? <span class="yes">✓ on</span> : <span class="no">off</span>}</td>
                      <td class="desc">{r.description}</td>
                      <td><code class="pattern">/{r.pattern}/{r.flags}</code></td>
                      <td><button type="button" onClick={() => { setEditing(r.name); setAdding(false); setDone(''); }} aria-label={`Edit rule ${r.name}`} {...ctl}>Edit</button></td>
                    </tr>
                    {editing === r.name && (
                      <tr class="edit-row">
                        <td colSpan={5}>
                          <RuleForm initial={{ name: r.name, description: r.description, pattern: r.pattern, flags: r.flags, enabled: r.enabled }} onCancel={() => setEditing(null)} onSaved={saved} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function RuleForm({ initial, creating, onCancel, onSaved }: { initial: Draft; creating?: boolean; onCancel: () => void; onSaved: (text: string) => Promise<void> }) {
  const [d, setD] = useState<Draft>(initial);
  const [reason, setReason] = useState('');
  const [sample, setSample] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const ctl = useChangeControl(busy);
  const ids = { name: useId('r-name'), desc: useId('r-desc'), pattern: useId('r-pattern'), flags: useId('r-flags'), enabled: useId('r-enabled'), sample: useId('r-sample'), title: useId('r-title') };
  const changed = (Object.keys(d) as Array<keyof Draft>).filter((k) => d[k] !== initial[k]);
  const tried = tryRule(d, sample);

  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    if (!reason.trim()) { setErr(new Error('Give a reason for the audit log.')); return; }
    if (!creating && changed.length === 0) { setErr(new Error('Nothing changed.')); return; }
    setBusy(true);
    try {
      if (creating) {
        await change('POST', '/rules', { ...d, reason: reason.trim() });
        await onSaved(`Rule ${d.name} added.`);
      } else {
        const body: Record<string, unknown> = { reason: reason.trim() };
        for (const k of changed) body[k] = d[k];
        await change('PUT', `/rules/${encodeURIComponent(initial.name)}`, body);
        await onSaved(`Rule ${initial.name} saved (${changed.join(', ')}).`);
      }
    } catch (x) {
      setErr(x);
      setBusy(false);
    }
  };

  const input = (k: 'name' | 'description' | 'pattern' | 'flags') => (e: Event) => setD({ ...d, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <form noValidate class="card rule-form" onSubmit={submit} data-form={creating ? 'add-rule' : 'edit-rule'} aria-labelledby={ids.title}>
      <h2 id={ids.title} tabIndex={-1} ref={(el) => el?.focus()}>{creating ? 'Add a rule' : `Edit rule ${initial.name}`}</h2>
      {creating && (
        <div class="field">
          <label for={ids.name}>Name (a-z, 0-9, "-")</label>
          <input id={ids.name} value={d.name} pattern="[a-z0-9][a-z0-9-]{0,63}" required onInput={input('name')} {...ctl} />
        </div>
      )}
      <div class="field">
        <label for={ids.desc}>Description: which platform difference, and the trade-off</label>
        <textarea id={ids.desc} rows={2} value={d.description} required onInput={input('description')} {...ctl} />
      </div>
      <div class="field-row">
        <div class="field grow">
          <label for={ids.pattern}>Pattern (JavaScript regular expression)</label>
          <input id={ids.pattern} class="mono" value={d.pattern} required spellcheck={false} onInput={input('pattern')} {...ctl} />
        </div>
        <div class="field small">
          <label for={ids.flags}>Flags</label>
          <input id={ids.flags} class="mono" value={d.flags} spellcheck={false} onInput={input('flags')} {...ctl} />
        </div>
      </div>
      <div class="check">
        <input id={ids.enabled} type="checkbox" checked={d.enabled} onChange={(e) => setD({ ...d, enabled: (e.currentTarget as HTMLInputElement).checked })} {...ctl} />
        <label for={ids.enabled}>Enabled</label>
      </div>
      <div class="field">
        <label for={ids.sample}>Try it on a sample output (optional, nothing is sent)</label>
        <textarea id={ids.sample} rows={2} class="mono" value={sample} onInput={(e) => setSample((e.currentTarget as HTMLTextAreaElement).value)} />
        {tried.error && <p class="no">Pattern error: {tried.error}</p>}
        {tried.text && <pre class="out">{tried.text}</pre>}
      </div>
      {!creating && (
        <div class="preview-inline" aria-live="polite">
          {changed.length === 0 ? <p class="note">No changes yet.</p> : (
            <>
              <p>Will change:</p>
              <ul class="changes">
                {changed.map((k) => <li key={k}><strong>{k}</strong>: <span class="from">{String(initial[k])}</span> → <span class="to">{String(d[k])}</span></li>)}
              </ul>
            </>
          )}
        </div>
      )}
      <ReasonField value={reason} onInput={setReason} control={ctl} />
      <div class="actions">
        <button type="submit" class="primary" {...ctl}>{busy ? 'Saving…' : creating ? 'Add rule' : 'Save rule'}</button>
        <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
      </div>
      <ErrorBox error={err} title="Not saved:" />
    </form>
  );
}
