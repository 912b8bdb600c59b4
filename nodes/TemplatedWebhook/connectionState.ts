import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** What the node remembers per URL (in the workflow's static data, under this node). */
export interface ConnectionRecord {
	/** The URL without query (display only). */
	url: string;
	/** When the current run of failures began (ISO); absent while the connection works. */
	failingSince?: string;
	lastFailureAt?: string;
	lastProbeAt?: string;
	lastSuccessAt?: string;
}

export type Gate = { send: true; probe: boolean } | { send: false; since: string };

/**
 * Ometria-style connection state: after failures for longer than `errorAfterMs` the connection
 * is in Error state and items fail fast, except one probe request per `probeEveryMs` (at most one
 * per execution); a success returns it to Active. Kept per node and URL in workflow static data,
 * which n8n saves for production executions (not for manual test runs).
 */
export class ConnectionState {
	private readonly record: ConnectionRecord;

	private probeTaken = false;

	constructor(
		staticData: IDataObject,
		url: string,
		displayUrl: string,
		private readonly errorAfterMs: number,
		private readonly probeEveryMs: number,
	) {
		const key = createHash('sha256').update(url).digest('hex').slice(0, 16);
		staticData.connections ??= {};
		const connections = staticData.connections as Record<string, ConnectionRecord>;
		connections[key] ??= { url: displayUrl };
		this.record = connections[key];
	}

	/**
	 * Since when the connection is in Error state, or undefined while it is Active: failures were
	 * seen over at least `errorAfterMs` without a success between them. (Not "the first failure is
	 * old": one failure followed by hours without traffic is no outage.)
	 */
	errorSince(): string | undefined {
		const since = this.record.failingSince;
		if (!since) return undefined;
		const last = Date.parse(this.record.lastFailureAt ?? since);
		return last - Date.parse(since) >= this.errorAfterMs ? since : undefined;
	}

	/** Whether the next item may be sent (decided synchronously, so concurrent items agree). */
	gate(now = Date.now()): Gate {
		const since = this.errorSince();
		if (since === undefined) return { send: true, probe: false };
		const lastProbe = this.record.lastProbeAt ? Date.parse(this.record.lastProbeAt) : 0;
		if (!this.probeTaken && now - lastProbe >= this.probeEveryMs) {
			this.probeTaken = true;
			this.record.lastProbeAt = new Date(now).toISOString();
			return { send: true, probe: true };
		}
		return { send: false, since };
	}

	succeeded(now = Date.now()) {
		delete this.record.failingSince;
		delete this.record.lastFailureAt;
		delete this.record.lastProbeAt;
		this.record.lastSuccessAt = new Date(now).toISOString();
	}

	failed(now = Date.now()) {
		const at = new Date(now).toISOString();
		// Failures separated by a silence longer than the threshold are not one outage.
		const previous = this.record.lastFailureAt ? Date.parse(this.record.lastFailureAt) : NaN;
		if (!this.record.failingSince || !(now - previous < this.errorAfterMs)) this.record.failingSince = at;
		this.record.lastFailureAt = at;
	}

	get state(): 'active' | 'error' {
		return this.errorSince() === undefined ? 'active' : 'error';
	}
}
