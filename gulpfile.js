// Asset tasks for `npm run build`. `n8n-node build` compiles TypeScript and copies icons
// (png/svg); the codex files (<Node>.node.json: categories, docs links, aliases) are ours to copy.
const { src, dest, series } = require('gulp');

function copyCodexFiles() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

function copyIcons() {
	// Icons are copied by n8n-node build too; repeated here so `gulp build:assets` alone is complete.
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:assets'] = series(copyCodexFiles, copyIcons);
exports.default = exports['build:assets'];
