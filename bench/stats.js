'use strict';
// Small statistics for the benchmark: medians, percentiles, spreads and ratios.

/** The value at quantile q (0..1) of the samples, by linear interpolation; NaN when empty. */
function quantile(samples, q) {
	const sorted = samples.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const position = (sorted.length - 1) * q;
	const low = Math.floor(position);
	const high = Math.ceil(position);
	return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

const median = (samples) => quantile(samples, 0.5);
const p95 = (samples) => quantile(samples, 0.95);

/** Median with its spread: `{ median, min, max, n, samples }`. */
function summary(samples) {
	const finite = samples.filter((value) => Number.isFinite(value));
	return {
		median: median(finite),
		min: finite.length ? Math.min(...finite) : NaN,
		max: finite.length ? Math.max(...finite) : NaN,
		n: finite.length,
		samples,
	};
}

/** ours / theirs of two medians (NaN when either is missing). */
function ratio(ours, theirs) {
	return Number.isFinite(ours) && Number.isFinite(theirs) && theirs !== 0 ? ours / theirs : NaN;
}

/** A number for the table: `digits` significant figures at most, thousands kept whole. */
function fmt(value, digits = 3) {
	if (value === undefined || value === null || Number.isNaN(value)) return 'n/a';
	if (!Number.isFinite(value)) return String(value);
	const abs = Math.abs(value);
	if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
	if (abs === 0) return '0';
	return String(Number(value.toPrecision(digits)));
}

/** `median (min-max)` of a summary, with a unit. */
function fmtSummary(s, unit = '') {
	if (!s || !Number.isFinite(s.median)) return 'n/a';
	const spread = s.n > 1 ? ` (${fmt(s.min)}–${fmt(s.max)})` : '';
	return `${fmt(s.median)}${unit}${spread}`;
}

function fmtBytes(bytes) {
	if (!Number.isFinite(bytes)) return 'n/a';
	if (bytes >= 1024 ** 2) return `${fmt(bytes / 1024 ** 2)} MiB`;
	if (bytes >= 1024) return `${fmt(bytes / 1024)} KiB`;
	return `${bytes} B`;
}

module.exports = { quantile, median, p95, summary, ratio, fmt, fmtSummary, fmtBytes };
