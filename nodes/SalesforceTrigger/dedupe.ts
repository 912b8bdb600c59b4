import type { IDataObject } from 'n8n-workflow';

/** Salesforce retries an unacknowledged outbound message for up to 24 hours. */
export const REMEMBER_MS = 24 * 60 * 60 * 1000;
/** At most this many ids are kept (oldest dropped first), so the workflow's static data stays small. */
export const MAX_REMEMBERED = 5000;

const KEY = 'deliveredIds';

/**
 * Remembers delivered notification/event ids in the workflow's static data (n8n stores it with the
 * workflow after each webhook call) as `{ id: firstSeenMs }`, insertion-ordered, bounded in age
 * and count.
 */
export class DeliveryMemory {
	private readonly seen: Record<string, number>;

	/** Whether anything was added or forgotten (n8n writes static data back only when it changed). */
	private changed = false;

	constructor(
		private readonly staticData: IDataObject,
		private readonly nowMs: number,
	) {
		const stored = staticData[KEY];
		this.seen = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, number>) : {};
		this.prune();
	}

	has(id: string): boolean {
		return Object.hasOwn(this.seen, id);
	}

	remember(id: string) {
		if (this.has(id)) return;
		this.seen[id] = this.nowMs;
		this.changed = true;
	}

	/** Writes the memory back into static data, only when it changed (each change costs n8n a database write). */
	save() {
		this.prune();
		if (this.changed) this.staticData[KEY] = this.seen;
	}

	private prune() {
		const ids = Object.keys(this.seen);
		const excess = ids.length - MAX_REMEMBERED;
		ids.forEach((id, index) => {
			const at = this.seen[id];
			if (index < excess || typeof at !== 'number' || this.nowMs - at > REMEMBER_MS) {
				delete this.seen[id];
				this.changed = true;
			}
		});
	}
}
