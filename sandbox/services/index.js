'use strict';

/**
 * The registry: one line per service. A service is one file exporting `{ name, create(ctx) }`
 * (see ../README.md, "Adding a service").
 */

/** @type {Record<string, { name: string, create: Function }>} */
module.exports = {
	omnisend: require('./omnisend'),
	receiver: require('./receiver'),
	acumatica: require('./acumatica'),
	salesforce: require('./salesforce'),
	activecampaign: require('./activecampaign'),
};
