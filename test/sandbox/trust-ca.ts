import tls from 'node:tls';

/**
 * Makes this test process trust a sandbox CA for connections to loopback hosts, the way
 * NODE_EXTRA_CA_CERTS makes a freshly started n8n trust it (Node reads that variable only at
 * startup, and n8n's request helper builds a new https.Agent per request, so neither
 * https.globalAgent nor the variable can be set from inside a running test). Wraps tls.connect
 * (which https.Agent calls) to add the CA next to Node's own roots when the caller gave none.
 * Returns the function that undoes it.
 */
export function trustCaForLoopback(pem: string): () => void {
	const original = tls.connect;
	const loopback = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/i;
	const wrapped = function connect(this: unknown, ...args: unknown[]) {
		const options = args.find((arg) => arg !== null && typeof arg === 'object') as tls.ConnectionOptions | undefined;
		const host = options?.host ?? (typeof args[1] === 'string' ? args[1] : undefined) ?? options?.servername;
		if (options && options.ca === undefined && typeof host === 'string' && loopback.test(host)) {
			options.ca = [...tls.rootCertificates, pem];
		}
		return (original as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
	};
	(tls as { connect: unknown }).connect = wrapped;
	return () => {
		(tls as { connect: unknown }).connect = original;
	};
}
