// posbon viewer: a task's detail in the panel's list (web/tasks.js): its
// log (GET /api/tasks/{id}: every change, oldest first: who, when, what),
// a comment (PATCH {comment}: anyone who sees the task may add one) and,
// for the asking service, the edit of what was asked (PATCH {text, due,
// priority, to} under If-Match of the version the form was filled from).
// A stale edit (412: someone else changed the task meanwhile) keeps the
// form and says so, with a button that reloads the task into it.
//
// A detail is a node made once per task and kept while the list is
// redrawn, so what is typed in it survives a reload of the list.

import { field, receiverPicker } from './coopform.js';
import { dateField } from './datefield.js';
import { nameOf, t } from './i18n.js';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const EDITED = { text: 'tasks.text', due: 'tasks.due', priority: 'tasks.priority', to: 'tasks.receivers' }; /* an edit's log names them */

/* ---------- pure (tests/web/test_evaluate.mjs) ---------- */

/* The members of an edit: those of form ({text, due, priority, to}) that
 * differ from task's properties (a due day cleared is ""; the receivers
 * in any order are the same). */
export function editBody(task, form) {
	const body = {};
	for (const k of ['text', 'due', 'priority']) if ((form[k] ?? '') !== (task[k] ?? '')) body[k] = form[k] ?? '';
	const key = (to) => JSON.stringify((to || []).map((r) => [r.service, r.unit || '']).sort());
	if (form.to && key(form.to) !== key(task.to)) body.to = form.to;
	return body;
}

/* Whether user me ({service, role}) may edit what task (properties) asks:
 * its asking service, or an admin. */
export function mayEdit(task, me) {
	return me?.role === 'admin' || (['officer', 'admin'].includes(me?.role) && !!me?.service && me.service === task?.from?.service);
}

/* ---------- the detail ---------- */

/* The detail of task feature f; c: { el, api, me, meta, zoned(ms),
 * changed(feature) (the list's copy of the task is now feature) }. Returns
 * { node, update(f) (the list heard of a newer version) }. */
export function taskDetail(c, f) {
	const { el } = c;
	const d = { task: f.properties, log: null, error: null, editing: null, msg: null };
	const node = el('div', { class: 'task-detail', dataset: { id: d.task.id } });
	const id = encodeURIComponent(d.task.id);

	const when = (iso) => {
		const p = c.zoned(Date.parse(iso));
		return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
	};
	const serviceName = (code) => nameOf(c.meta.services.find((s) => s.code === code) || { code });
	const lineText = (x) => {
		if (x.action === 'create') return t('tasks.log.create');
		if (x.action === 'comment') return `${t('tasks.log.comment')}: ${x.note || ''}`;
		if (x.action === 'edit') {
			const fields = String(x.note || '').split(/\s+/).filter((k) => k in EDITED).map((k) => t(EDITED[k]));
			return t('tasks.log.edit', { fields: fields.join(', ') });
		}
		const who = [serviceName(x.service), x.unit].filter(Boolean).join(' · ');
		return `${who}: ${t(`tasks.status.${x.status}`)}${x.note ? ` — ${x.note}` : ''}`;
	};

	async function load() {
		try {
			const now = await c.api(`api/tasks/${id}`);
			d.log = now.properties.log || [];
			d.task = { ...now.properties };
			delete d.task.log;
			d.error = null;
			c.changed(now);
		} catch (e) {
			d.error = e.message;
		}
		render();
	}

	/* PATCH body; as of version when given. */
	async function patch(body, version) {
		const headers = { Accept: 'application/json' };
		if (version) headers['If-Match'] = `"${version}"`;
		const now = await c.api(`api/tasks/${id}`, { method: 'PATCH', json: body, headers });
		d.log = now.properties.log || [];
		d.task = { ...now.properties };
		delete d.task.log;
		c.changed(now);
	}

	/* Made once, so a comment being written survives the redraws. */
	const comment = (() => {
		const text = el('textarea', { rows: 2, 'data-field': 'comment', maxlength: 4000 });
		const send = el('button', { type: 'submit', class: 'btn btn-quiet', 'data-i18n': 'tasks.comment.send' }, t('tasks.comment.send'));
		const form = el('form', { class: 'task-note-form task-comment' }, field(el, 'tasks.comment', text), el('div', { class: 'row' }, send));
		form.addEventListener('submit', async (e) => {
			e.preventDefault();
			if (!text.value.trim()) return text.focus();
			send.disabled = true;
			try {
				await patch({ comment: text.value.trim() });
				text.value = '';
				d.msg = null;
			} catch (err) {
				d.msg = { text: err.message };
			}
			send.disabled = false;
			render();
		});
		return form;
	})();

	function editForm() {
		const e = d.editing;
		const text = el('textarea', { rows: 3, 'data-field': 'text', maxlength: 4000 });
		text.value = e.text;
		text.addEventListener('input', () => (e.text = text.value));
		const due = dateField(el('input', { 'data-field': 'due', value: e.due }), 'date');
		due.addEventListener('change', () => (e.due = due.value));
		const priority = el('select', { 'data-field': 'priority' });
		for (const x of PRIORITIES) priority.append(el('option', { value: x }, t(`tasks.priority.${x}`)));
		priority.value = e.priority;
		priority.addEventListener('change', () => (e.priority = priority.value));
		const receivers = receiverPicker(el, c.meta.services, e.to, () => (e.to = receivers.value()));
		const save = el('button', { type: 'submit', class: 'btn btn-primary' }, t('tasks.edit.save'));
		const cancel = el('button', { type: 'button', class: 'btn btn-quiet' }, t('coop.cancel'));
		cancel.addEventListener('click', () => {
			d.editing = d.msg = null;
			render();
		});
		const form = el('form', { class: 'task-note-form task-edit' },
			field(el, 'tasks.text', text),
			el('div', { class: 'row two' }, field(el, 'tasks.due', due), field(el, 'tasks.priority', priority)),
			receivers.node,
			el('div', { class: 'row' }, save, cancel));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = editBody(d.task, { text: e.text.trim(), due: e.due, priority: e.priority, to: receivers.value() });
			if (!Object.keys(body).length) {
				d.msg = { key: 'tasks.edit.none' };
				return render();
			}
			save.disabled = true;
			try {
				await patch(body, e.version);
				d.editing = d.msg = null;
			} catch (err) {
				d.msg = err.status === 412 ? { key: 'tasks.edit.stale', stale: true } : { text: err.message };
			}
			render();
		});
		return form;
	}

	function startEdit() {
		d.editing = { text: d.task.text || '', due: d.task.due || '', priority: d.task.priority || 'normal', to: d.task.to || [], version: d.task.version };
		d.msg = null;
	}

	function render() {
		const parts = [];
		if (d.error) parts.push(el('p', { class: 'task-msg', role: 'alert' }, d.error));
		else if (!d.log) parts.push(el('p', { class: 'card-note' }, t('card.loading')));
		else
			parts.push(el('ol', { class: 'task-log' }, d.log.map((x) => el('li', { class: 'task-log-line', dataset: { action: x.action, version: String(x.version) } },
				el('span', { class: 'task-log-when' }, `${when(x.at)} · ${x.actor || ''}`),
				el('span', { class: 'task-log-what' }, lineText(x))))));
		if (d.editing) parts.push(editForm());
		else if (mayEdit(d.task, c.me)) {
			const b = el('button', { type: 'button', class: 'link task-edit-open' }, t('tasks.edit'));
			b.addEventListener('click', () => {
				startEdit();
				render();
				node.querySelector('.task-edit textarea')?.focus();
			});
			parts.push(b);
		}
		if (d.msg) {
			const msg = el('p', { class: 'task-msg', role: 'alert', dataset: { msg: d.msg.key || 'error' } }, d.msg.key ? t(d.msg.key) : d.msg.text);
			if (d.msg.stale) {
				const reload = el('button', { type: 'button', class: 'btn btn-quiet task-reload' }, t('tasks.reload'));
				reload.addEventListener('click', async () => {
					await load();
					startEdit();
					render();
				});
				msg.append(' ', reload);
			}
			parts.push(msg);
		}
		parts.push(comment);
		node.replaceChildren(...parts);
	}

	render();
	load();
	return {
		node,
		update(g) {
			/* a newer version: its log (an edit in progress keeps its version, so a save says it is stale) */
			if (g.properties.version !== d.task.version) load();
		},
		relabel: render,
	};
}
