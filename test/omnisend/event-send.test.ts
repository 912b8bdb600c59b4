import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Received } from './fixtures';
import { runWorkflow } from '../harness/run-workflow';
import { CREDENTIALS, expectErrorItem, expectEvent, omnisendFake, omnisendWorkflow, runOmnisend } from './fixtures';

const SEED = path.resolve(__dirname, '../../../shared/seeds/001_e7d3259b81e60e90.txt');
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const send = (parameters: INodeParameters): INodeParameters => ({ resource: 'event', operation: 'send', ...parameters });


/** The seed's example body: the JSON object that follows "is delivered to Omnisend as:". */
function seedDeliveredBody(): string {
	const text = readFileSync(SEED, 'utf8');
	const marker = text.indexOf('is delivered to Omnisend as:');
	expect(marker).toBeGreaterThan(-1);
	const start = text.indexOf('{', marker);
	let depth = 0;
	for (let index = start; index < text.length; index++) {
		if (text[index] === '{') depth++;
		if (text[index] === '}') depth--;
		if (depth === 0) return text.slice(start, index + 1);
	}
	throw new Error('The seed body is not closed');
}

/**
 * The seed's body with exactly the renames Omnisend's v2 "placed order" needs (api-docs
 * /docs/placed-order): eventVersion "v2" after origin; value → totalPrice; discountCode → discounts
 * [{code}]; products → lineItems with product_id → productID, product_name → productTitle,
 * price → productPrice, quantity → productQuantity. Key order: orderID, totalPrice, currency,
 * discounts, marketing_consent, lineItems.
 */
function seedBodyInOmnisendV2Names(seed: IDataObject): string {
	expect(Object.keys(seed)).toEqual(['eventName', 'origin', 'contact', 'properties']);
	const properties = seed.properties as IDataObject;
	expect(Object.keys(properties)).toEqual(['orderID', 'value', 'currency', 'discountCode', 'marketing_consent', 'products']);
	const products = properties.products as IDataObject[];
	for (const product of products) expect(Object.keys(product)).toEqual(['product_id', 'product_name', 'price', 'quantity']);
	return JSON.stringify({
		eventName: seed.eventName,
		origin: seed.origin,
		eventVersion: 'v2',
		contact: seed.contact,
		properties: {
			orderID: properties.orderID,
			totalPrice: properties.value,
			currency: properties.currency,
			discounts: String(properties.discountCode)
				.split(',')
				.map((code) => ({ code: code.trim() })),
			marketing_consent: properties.marketing_consent,
			lineItems: products.map((product) => ({
				productID: product.product_id,
				productTitle: product.product_name,
				productPrice: product.price,
				productQuantity: product.quantity,
			})),
		},
	});
}

/** A Datafly/Segment `track` call as it arrives in n8n. */
const identified = { traits: { email: 'jane@example.com', phone: '+447700900123' } };

describe('Event › Send: the seed-001 presets on the wire', () => {
	test('Page Viewed: a "page" call → "page viewed" with url, title and referrer', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'pageViewed',
				email: '={{ $json.traits.email }}',
				url: '={{ $json.properties.url }}',
				title: '={{ $json.properties.title }}',
				referrer: '={{ $json.properties.referrer }}',
			}),
			[
				{
					type: 'page',
					properties: { url: 'https://shop.example.com/scarves', title: 'Scarves – Shop', referrer: 'https://www.google.com/' },
					traits: { email: 'jane@example.com' },
				},
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(
			received[0],
			'{"eventName":"page viewed","origin":"api","contact":{"email":"jane@example.com"},"properties":{"url":"https://shop.example.com/scarves","title":"Scarves – Shop","referrer":"https://www.google.com/"}}',
		);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			status: 'sent',
			httpStatus: 202,
			attempts: 1,
			eventName: 'page viewed',
			event: JSON.parse(received[0].rawBody),
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Signed Up → "signed up" with signUpMethod; an unmapped (empty) field is left out', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({ preset: 'signedUp', email: '={{ $json.traits.email }}', phone: '={{ $json.traits.phone }}', signUpMethod: '={{ $json.properties.method }}' }),
			[
				{ event: 'Signed Up', properties: { method: 'newsletter-form' }, ...identified },
				{ event: 'Signed Up', properties: {}, ...identified },
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		const bodies = received.map((request) => request.rawBody).sort();
		for (const request of received) expectEvent(request, request.rawBody);
		expect(bodies).toEqual([
			'{"eventName":"signed up","origin":"api","contact":{"email":"jane@example.com","phone":"+447700900123"},"properties":{"signUpMethod":"newsletter-form"}}',
			'{"eventName":"signed up","origin":"api","contact":{"email":"jane@example.com","phone":"+447700900123"},"properties":{}}',
		]);
		expect(items.map((item) => item.json.status)).toEqual(['sent', 'sent']);
	});

	test('Product Viewed → "product viewed" with productID, productTitle, productPrice (a whole price stays whole: 40) and productURL', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'productViewed',
				email: '={{ $json.traits.email }}',
				productID: '={{ $json.properties.product_id }}',
				productTitle: '={{ $json.properties.name }}',
				productPrice: '={{ $json.properties.price }}',
				productURL: '={{ $json.properties.url }}',
			}),
			[
				{
					event: 'Product Viewed',
					properties: { product_id: 'SKU-1', name: 'Wool Scarf', price: 40, url: 'https://shop.example.com/p/sku-1' },
					traits: { email: 'jane@example.com' },
				},
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(
			received[0],
			'{"eventName":"product viewed","origin":"api","contact":{"email":"jane@example.com"},"properties":{"productID":"SKU-1","productTitle":"Wool Scarf","productPrice":40,"productURL":"https://shop.example.com/p/sku-1"}}',
		);
	});

	test('Added to Cart → "added to cart" with productID, productTitle, productPrice and a whole-number quantity', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'addedToCart',
				email: '={{ $json.traits.email }}',
				productID: '={{ $json.properties.product_id }}',
				productTitle: '={{ $json.properties.name }}',
				productPrice: '={{ $json.properties.price }}',
				quantity: '={{ $json.properties.quantity }}',
			}),
			[
				{
					event: 'Product Added',
					properties: { product_id: 'SKU-2', name: 'Knit Hat', price: 49.95, quantity: '2' },
					traits: { email: 'jane@example.com' },
				},
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(
			received[0],
			'{"eventName":"added to cart","origin":"api","contact":{"email":"jane@example.com"},"properties":{"productID":"SKU-2","productTitle":"Knit Hat","productPrice":49.95,"quantity":2}}',
		);
		expect(items[0].json.event).toEqual({
			eventName: 'added to cart',
			origin: 'api',
			contact: { email: 'jane@example.com' },
			properties: { productID: 'SKU-2', productTitle: 'Knit Hat', productPrice: 49.95, quantity: 2 },
		});
	});

	test('Started Checkout → "started checkout" (eventVersion "", sent as such) with cartID, value, currency, abandonedCheckoutURL, consent, then lineItems', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'startedCheckout',
				email: '={{ $json.traits.email }}',
				phone: '={{ $json.traits.phone }}',
				cartID: '={{ $json.properties.cart_id }}',
				value: '={{ $json.properties.value }}',
				currency: '={{ $json.properties.currency }}',
				abandonedCheckoutURL: '={{ $json.properties.checkout_url }}',
				products: '={{ $json.properties.products }}',
				marketingConsent: 'nonSubscribed',
			}),
			[
				{
					event: 'Checkout Started',
					properties: {
						cart_id: 'c-77',
						value: 80,
						currency: 'GBP',
						checkout_url: 'https://shop.example.com/checkout/c-77?recover=1',
						products: [
							{ product_id: 'SKU-1', product_name: 'Wool Scarf', price: 40, quantity: 1, url: 'https://shop.example.com/p/sku-1' },
							{ product_id: 'SKU-3', name: 'Gloves', price: '20', quantity: '2.0', image_url: 'https://shop.example.com/i/sku-3.jpg', size: 'M' },
						],
					},
					...identified,
				},
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(
			received[0],
			'{"eventName":"started checkout","origin":"api","eventVersion":"","contact":{"email":"jane@example.com","phone":"+447700900123"},"properties":{"cartID":"c-77","value":80,"currency":"GBP","abandonedCheckoutURL":"https://shop.example.com/checkout/c-77?recover=1","marketing_consent":"nonSubscribed","lineItems":[{"productID":"SKU-1","productTitle":"Wool Scarf","productPrice":40,"productQuantity":1,"productURL":"https://shop.example.com/p/sku-1"},{"productID":"SKU-3","productTitle":"Gloves","productPrice":20,"productQuantity":2,"productImageURL":"https://shop.example.com/i/sku-3.jpg","size":"M"}]}}',
		);
		expect(items[0].json).toEqual({ status: 'sent', httpStatus: 202, attempts: 1, eventName: 'started checkout', event: JSON.parse(received[0].rawBody) });
	});

	test('Started Checkout with only an identifier still sends eventVersion "" and an empty properties object', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'startedCheckout', email: 'jane@example.com', cartID: '={{ $json.cart }}', products: '={{ $json.products }}' }),
			[{}],
		);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"started checkout","origin":"api","eventVersion":"","contact":{"email":"jane@example.com"},"properties":{}}');
	});

	test('Started Checkout: a numeric Cart ID is sent as text', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'startedCheckout', email: 'jane@example.com', cartID: '={{ $json.cart }}', value: '19.90' }), [
			{ cart: 1234 },
		]);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"started checkout","origin":"api","eventVersion":"","contact":{"email":"jane@example.com"},"properties":{"cartID":"1234","value":19.9}}',
		);
	});

	test('Placed Order: the seed\'s "Order Completed" call is delivered as the seed documents it, with Omnisend\'s v2 names', async () => {
		const expected = seedBodyInOmnisendV2Names(JSON.parse(seedDeliveredBody()) as IDataObject);

		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: '={{ $json.traits.email }}',
				phone: '={{ $json.traits.phone }}',
				orderID: '={{ $json.properties.order_id }}',
				value: '={{ $json.properties.revenue }}',
				currency: '={{ $json.properties.currency }}',
				discountCode: '={{ $json.properties.coupon }}',
				products: '={{ $json.properties.products }}',
				marketingConsent: '={{ $json.context.consent.marketing }}',
			}),
			[
				{
					type: 'track',
					event: 'Order Completed',
					properties: {
						order_id: 'ORDER-5512',
						revenue: 89.9,
						currency: 'GBP',
						coupon: 'WELCOME10',
						products: [
							{ product_id: 'SKU-1', product_name: 'Wool Scarf', price: 39.95, quantity: 1 },
							{ product_id: 'SKU-2', product_name: 'Knit Hat', price: 49.95, quantity: 1 },
						],
					},
					context: { consent: { marketing: 'subscribed' } },
					traits: { email: 'jane@example.com', phone: '+447700900123', first_name: 'Jane' },
				},
			],
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(received[0], expected);
		// The expected text itself, so a seed edit cannot silently change what this test demands.
		expect(expected).toBe(
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com","phone":"+447700900123"},"properties":{"orderID":"ORDER-5512","totalPrice":89.9,"currency":"GBP","discounts":[{"code":"WELCOME10"}],"marketing_consent":"subscribed","lineItems":[{"productID":"SKU-1","productTitle":"Wool Scarf","productPrice":39.95,"productQuantity":1},{"productID":"SKU-2","productTitle":"Knit Hat","productPrice":49.95,"productQuantity":1}]}}',
		);
		expect(items[0].json).toEqual({ status: 'sent', httpStatus: 202, attempts: 1, eventName: 'placed order', event: JSON.parse(expected) });
	});

	test('Placed Order: several discount codes become one {code} each; a list of codes or of {code} objects works too; the order of keys is Omnisend\'s', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: 'jane@example.com',
				orderID: '={{ $json.id }}',
				value: '={{ $json.total }}',
				currency: 'EUR',
				discountCode: '={{ $json.codes }}',
				products: '={{ $json.items }}',
				marketingConsent: 'unsubscribed',
				requestOptions: { concurrency: 1 },
			}),
			[
				{ id: 'A-1', total: '120.50', codes: 'WELCOME10, VIP ,', items: '[{"sku":"S-1","name":"Hat","price":"60.25","quantity":"2","vendor":"Acme"}]' },
				{ id: 'A-2', total: 5, codes: ['X1', 'X2'], items: [] },
				{ id: 'A-3', total: 7, codes: [{ code: 'A' }, { code: ' B ' }], items: [] },
			],
		);
		expect(error).toBeUndefined();
		// "vendor" is not one of the renamed tracker names: it follows the renamed keys unchanged.
		expect(received.map((request) => request.rawBody)).toEqual([
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"A-1","totalPrice":120.5,"currency":"EUR","discounts":[{"code":"WELCOME10"},{"code":"VIP"}],"marketing_consent":"unsubscribed","lineItems":[{"productSKU":"S-1","productTitle":"Hat","productPrice":60.25,"productQuantity":2,"vendor":"Acme"}]}}',
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"A-2","totalPrice":5,"currency":"EUR","discounts":[{"code":"X1"},{"code":"X2"}],"marketing_consent":"unsubscribed","lineItems":[]}}',
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"A-3","totalPrice":7,"currency":"EUR","discounts":[{"code":"A"},{"code":"B"}],"marketing_consent":"unsubscribed","lineItems":[]}}',
		]);
	});

	test('Placed Order: a discount entry that is not a code (a list inside the list, a code that is an object) fails the item; nothing is sent', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: 'jane@example.com',
				orderID: '={{ $json.id }}',
				value: 5,
				currency: 'EUR',
				discountCode: '={{ $json.codes }}',
				requestOptions: { concurrency: 1 },
			}),
			[
				{ id: 'A-1', codes: [['A']] },
				{ id: 'A-2', codes: [{ code: { x: 1 } }] },
			],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(2);
		expectErrorItem(items[0], 0, {
			message: 'Discount Codes must be codes (text), got ["A"] (item 0)',
			description: 'Fix "Discount Codes" for item 0; nothing was sent for it.',
		});
		expectErrorItem(items[1], 1, {
			message: 'Discount Codes must be codes (text), got {"code":{"x":1}} (item 1)',
			description: 'Fix "Discount Codes" for item 1; nothing was sent for it.',
		});
	});

	test('Placed Order: empty discount codes and no products send no discounts and no lineItems keys; consent still comes after the order fields', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: 'jane@example.com',
				orderID: 'A-3',
				value: '={{ $json.total }}',
				discountCode: '={{ $json.coupon }}',
				products: '={{ $json.products }}',
				marketingConsent: 'subscribed',
			}),
			[{ total: 10, coupon: ' , ' }],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"A-3","totalPrice":10,"marketing_consent":"subscribed"}}',
		);
		expect(received[0].rawBody).not.toContain('discounts');
		expect(received[0].rawBody).not.toContain('lineItems');
	});

	test('Placed Order: an Order Total that is not a number fails the item naming the property it is sent as, and sends nothing', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(send({ preset: 'placedOrder', email: 'jane@example.com', orderID: 'A-4', value: '={{ $json.total }}' }), [
			{ total: '12,50' },
		]);
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Property "totalPrice" must be a number, got "12,50" (item 0)');
	});

	test('Placed Order without an Order ID fails the item naming the field, and sends nothing', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({ preset: 'placedOrder', email: '={{ $json.email }}', orderID: '={{ $json.order_id }}', value: '={{ $json.revenue }}' }),
			[{ email: 'jane@example.com', revenue: 10 }],
		);
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Order ID is empty (item 0)');
	});

	test('Event Version and Origin options override the preset\'s', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'placedOrder', email: 'jane@example.com', orderID: 'A-1', options: { eventVersion: ' v3 ', origin: ' myplatform ' } }),
			[{}],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"placed order","origin":"myplatform","eventVersion":"v3","contact":{"email":"jane@example.com"},"properties":{"orderID":"A-1"}}',
		);
	});
});

describe('Event › Send: property types', () => {
	test('a whole Number value (Order Total = 90) is written 90 in the raw body, as JSON.stringify writes it', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({ preset: 'placedOrder', email: '={{ $json.email }}', orderID: 'ORDER-1', value: '={{ $json.revenue }}', currency: 'EUR' }),
			[{ email: 'jane@example.com', revenue: 90 }],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"ORDER-1","totalPrice":90,"currency":"EUR"}}',
		);
		expect(received[0].rawBody).not.toContain('90.0');
		expect((items[0].json.event as IDataObject).properties).toEqual({ orderID: 'ORDER-1', totalPrice: 90, currency: 'EUR' });
	});

	test('a blank (whitespace) source value for a number field is left out, not sent as 0', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'addedToCart',
				email: 'jane@example.com',
				productID: 'SKU-1',
				productPrice: '={{ $json.price }}',
				quantity: '={{ $json.quantity }}',
			}),
			[{ price: ' ', quantity: '  ' }],
		);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"added to cart","origin":"api","contact":{"email":"jane@example.com"},"properties":{"productID":"SKU-1"}}');
	});

	test('Whole Number properties: "10.0", "10" and 10 are all sent as 10', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'points earned',
				email: 'jane@example.com',
				additionalProperties: {
					property: [
						{ key: 'a', type: 'integer', value: '10.0' },
						{ key: 'b', type: 'integer', value: '10' },
						{ key: 'c', type: 'integer', value: '={{ $json.points }}' },
					],
				},
			}),
			[{ points: 10.0 }],
		);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"points earned","origin":"api","contact":{"email":"jane@example.com"},"properties":{"a":10,"b":10,"c":10}}');
	});

	test('a Whole Number property given 10.5 fails the item with a message naming the property key', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'points earned',
				email: 'jane@example.com',
				additionalProperties: { property: [{ key: 'loyaltyPoints', type: 'integer', value: '={{ $json.points }}' }] },
			}),
			[{ points: 10.5 }],
		);
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Property "loyaltyPoints" must be a whole number, got 10.5 (item 0)');
	});

	test('Number, Boolean, Date and Time, JSON and Text properties are coerced to their type', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'subscription renewed',
				email: 'jane@example.com',
				additionalProperties: {
					property: [
						{ key: 'amount', type: 'number', value: '12' },
						{ key: 'rate', type: 'number', value: '={{ $json.rate }}' },
						{ key: 'trial', type: 'boolean', value: 'yes' },
						{ key: 'autoRenew', type: 'boolean', value: '0' },
						{ key: 'vip', type: 'boolean', value: '={{ $json.vip }}' },
						{ key: 'renewedAt', type: 'dateTime', value: '2026-01-02T04:04:05+01:00' },
						{ key: 'startedAt', type: 'dateTime', value: '={{ $json.started }}' },
						{ key: 'plan', type: 'json', value: '{"tier":"gold","seats":[1,2]}' },
						{ key: 'addons', type: 'json', value: '={{ $json.addons }}' },
						{ key: 'code', type: 'string', value: '={{ $json.code }}' },
						{ key: 'note', type: 'string', value: '' },
					],
				},
			}),
			[{ rate: 0.25, vip: true, started: '2025-06-30T22:00:00.250Z', addons: ['sms'], code: 7 }],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"subscription renewed","origin":"api","contact":{"email":"jane@example.com"},"properties":{"amount":12,"rate":0.25,"trial":true,"autoRenew":false,"vip":true,"renewedAt":"2026-01-02T03:04:05Z","startedAt":"2025-06-30T22:00:00.250Z","plan":{"tier":"gold","seats":[1,2]},"addons":["sms"],"code":"7"}}',
		);
	});

	test.each([
		['boolean', 'maybe', 'Property "flag" must be true or false, got "maybe" (item 0)'],
		['dateTime', 'next tuesday', 'Property "flag" must be a date and time, got "next tuesday" (item 0)'],
		['json', '{not json', 'Property "flag" must be JSON (an object or a list), got "{not json" (item 0)'],
		['json', '42', 'Property "flag" must be JSON (an object or a list), got "42" (item 0)'],
		['number', 'ten', 'Property "flag" must be a number, got "ten" (item 0)'],
		['integer', '2.5', 'Property "flag" must be a whole number, got "2.5" (item 0)'],
	])('a %s property given %j fails the item naming the key', async (type, value, message) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'x',
				email: 'jane@example.com',
				additionalProperties: { property: [{ key: 'flag', type, value }] },
			}),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe(message);
	});

	test('a property type this version does not know (e.g. "decimal" from another version) fails the item; the value is never dropped silently', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'x',
				email: 'jane@example.com',
				additionalProperties: { property: [{ key: 'amount', type: 'decimal', value: '1.5' }] },
			}),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(items).toEqual([]);
		// n8n keeps a plain copy of the node's error in the run: its name says what it was.
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Unknown property type "decimal" (item 0)');
		expect((error as unknown as { description?: string }).description).toBe('Pick the type again in the node.');
	});

	test('the same key set by a preset field and an additional property is an error', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: 'jane@example.com',
				orderID: 'ORDER-1',
				currency: 'GBP',
				additionalProperties: { property: [{ key: 'currency', type: 'string', value: 'EUR' }] },
			}),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Property "currency" is set twice (item 0)');
	});

	test('the same key twice among the additional properties is an error', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: 'x',
				email: 'jane@example.com',
				additionalProperties: {
					property: [
						{ key: 'tier', type: 'string', value: 'gold' },
						{ key: ' tier ', type: 'string', value: 'silver' },
					],
				},
			}),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Property "tier" is given twice (item 0)');
	});

	test('Properties (JSON) is merged after the other properties, sent as given', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'placedOrder',
				email: 'jane@example.com',
				orderID: 'ORDER-9',
				value: '90',
				additionalProperties: { property: [{ key: 'channel', type: 'string', value: 'pos' }] },
				options: { propertiesJson: '={{ JSON.stringify($json.extra) }}' },
			}),
			[{ extra: { storeId: 12, tags: ['a'], gift: false, amount: 90 } }],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","contact":{"email":"jane@example.com"},"properties":{"orderID":"ORDER-9","totalPrice":90,"channel":"pos","storeId":12,"tags":["a"],"gift":false,"amount":90}}',
		);
	});

	test('Properties (JSON) given as an object from an expression is merged too', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { propertiesJson: '={{ $json.extra }}' } }),
			[{ extra: { storeId: 12 } }],
		);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"x","origin":"api","contact":{"email":"jane@example.com"},"properties":{"storeId":12}}');
	});

	test.each([
		['{"orderID":"other"}', 'Property "orderID" is set twice (item 0)'],
		['{"a":', 'Properties (JSON) is not valid JSON'],
		['[1,2]', 'Properties (JSON) must be a JSON object (item 0)'],
	])('Properties (JSON) %s is refused', async (json, message) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'placedOrder', email: 'jane@example.com', orderID: 'ORDER-9', options: { propertiesJson: json } }),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message.startsWith(message)).toBe(true);
		expect(error?.message.endsWith('(item 0)')).toBe(true);
	});

	test('a product list that is not a list of objects fails naming the field', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'startedCheckout', email: 'jane@example.com', products: '={{ $json.products }}' }),
			[{ products: [{ product_id: 'SKU-1', quantity: 1.5 }] }],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Property "Products[0].quantity" must be a whole number, got 1.5 (item 0)');
	});
});

describe('Event › Send: eventID and eventTime', () => {
	const dedup = (eventPreset: INodeParameters) => send({ ...eventPreset, email: 'jane@example.com', deduplicationKey: '={{ $json.order_id }}' });
	const order = { preset: 'placedOrder', orderID: '={{ $json.order_id }}' };

	/** Runs one item and returns the eventID Omnisend received (one fake per test: the first scope answers). */
	async function eventIdOf(received: Received[], parameters: INodeParameters, input: IDataObject) {
		const before = received.length;
		const { items, error } = await runOmnisend(parameters, [input]);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(before + 1);
		const sentId = (received[before].body as IDataObject).eventID;
		expect(items[0].json.eventID).toBe(sentId);
		return sentId;
	}

	test('the Deduplication Key gives the same UUID v5 eventID on separate runs, and a different one for another key or event', async () => {
		const { received } = omnisendFake(() => [202]);
		const first = await eventIdOf(received, dedup(order), { order_id: 'ORDER-5512' });
		const second = await eventIdOf(received, dedup(order), { order_id: 'ORDER-5512' });
		const otherKey = await eventIdOf(received, dedup(order), { order_id: 'ORDER-5513' });
		const otherEvent = await eventIdOf(received, dedup({ preset: 'custom', customEventName: 'order refunded' }), { order_id: 'ORDER-5512' });

		expect(first).toMatch(UUID_V5);
		expect(second).toBe(first);
		expect(otherKey).toMatch(UUID_V5);
		expect(otherEvent).toMatch(UUID_V5);
		expect(new Set([first, otherKey, otherEvent]).size).toBe(3);
		// Pinned: a change to the derivation would give resent events new ids after an upgrade.
		expect(first).toBe('bb344097-9b6e-57bd-85c3-a2d6de89f734');
	});

	test('the derived eventID sits after eventVersion in the body', async () => {
		const { received } = omnisendFake(() => [202]);
		await runOmnisend(dedup(order), [{ order_id: 'ORDER-5512' }]);
		expectEvent(
			received[0],
			'{"eventName":"placed order","origin":"api","eventVersion":"v2","eventID":"bb344097-9b6e-57bd-85c3-a2d6de89f734","contact":{"email":"jane@example.com"},"properties":{"orderID":"ORDER-5512"}}',
		);
	});

	test('an explicit Event ID is used as is, and wins over the Deduplication Key', async () => {
		const { received } = omnisendFake(() => [202]);
		const explicit = '0c1d5e0a-8f0e-4c6b-9a53-2b0a9f7c1e11';
		const id = await eventIdOf(received, send({ ...order, email: 'jane@example.com', deduplicationKey: 'ORDER-5512', options: { eventID: explicit } }), {
			order_id: 'ORDER-5512',
		});
		expect(id).toBe(explicit);
		const v7 = '01890a5d-ac96-774b-bcce-b302099a8057';
		expect(await eventIdOf(received, send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventID: `={{ $json.id }}` } }), { id: v7 })).toBe(v7);
	});

	test.each([['not-a-uuid'], ['6ba7b810-9dad-11d1-80b4-00c04fd430c8'], ['0c1d5e0a8f0e4c6b9a532b0a9f7c1e11']])(
		'an explicit Event ID %s that is not a UUID v4–v7 fails the item with a clear error',
		async (eventID) => {
			const { received } = omnisendFake(() => [202]);
			const { error } = await runOmnisend(send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventID } }), [{}]);
			expect(received).toHaveLength(0);
			expect(error?.message).toBe(`Event ID "${eventID}" is not a UUID (versions 4 to 7) (item 0)`);
		},
	);

	test.each([
		['2026-01-02T03:04:05Z'],
		['2026-01-02T03:04:05.000Z'],
		['2026-01-02T04:04:05+01:00'],
		['2026-01-01T22:04:05-05:00'],
	])('Event Time %s is sent as RFC 3339 UTC 2026-01-02T03:04:05Z', async (eventTime) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventTime } }), [{}]);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"x","origin":"api","eventTime":"2026-01-02T03:04:05Z","contact":{"email":"jane@example.com"},"properties":{}}');
	});

	test('an Event Time from a Luxon DateTime expression ($now-style) is sent as RFC 3339 UTC', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventTime: "={{ DateTime.fromISO('2026-01-02T04:04:05+01:00') }}" } }),
			[{}],
		);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"x","origin":"api","eventTime":"2026-01-02T03:04:05Z","contact":{"email":"jane@example.com"},"properties":{}}');
	});

	test('an Event Time that is not a date fails the item', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventTime: 'yesterday' } }), [{}]);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Event Time must be a date and time, got "yesterday" (item 0)');
	});
});

describe('Event › Send: marketing consent', () => {
	test.each([['subscribed'], ['unsubscribed'], ['nonSubscribed']])('"%s" is forwarded as properties.marketing_consent', async (consent) => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'signedUp', email: 'jane@example.com', signUpMethod: 'form', marketingConsent: consent }), [{}]);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			`{"eventName":"signed up","origin":"api","contact":{"email":"jane@example.com"},"properties":{"signUpMethod":"form","marketing_consent":"${consent}"}}`,
		);
	});

	test('"none" (Do Not Send) sends no marketing_consent', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'signedUp', email: 'jane@example.com', signUpMethod: 'form', marketingConsent: 'none' }), [{}]);
		expect(error).toBeUndefined();
		expectEvent(received[0], '{"eventName":"signed up","origin":"api","contact":{"email":"jane@example.com"},"properties":{"signUpMethod":"form"}}');
	});

	test('an expression yielding an unknown consent value fails the item naming the field', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(send({ preset: 'signedUp', email: 'jane@example.com', marketingConsent: '={{ $json.consent }}' }), [
			{ consent: 'granted' },
		]);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Marketing Consent "granted" must be one of subscribed, unsubscribed, nonSubscribed (item 0)');
	});

	test('marketing_consent set again in an additional property is an error', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({
				preset: 'signedUp',
				email: 'jane@example.com',
				marketingConsent: 'subscribed',
				additionalProperties: { property: [{ key: 'marketing_consent', type: 'string', value: 'unsubscribed' }] },
			}),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Property "marketing_consent" is set twice (item 0)');
	});
});

describe('Event › Send: custom events', () => {
	test('a custom event name with additional properties and contact names; no eventVersion', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'custom',
				customEventName: '={{ $json.event.toLowerCase() }}',
				email: '={{ $json.traits.email }}',
				additionalProperties: {
					property: [
						{ key: 'plan', type: 'string', value: '={{ $json.properties.plan }}' },
						{ key: 'months', type: 'integer', value: '={{ $json.properties.months }}' },
					],
				},
				options: { firstName: '={{ $json.traits.first_name }}', lastName: ' Doe ' },
			}),
			[{ event: 'Subscription Renewed', properties: { plan: 'annual', months: 12 }, traits: { email: 'jane@example.com', first_name: 'Jane' } }],
		);
		expect(error).toBeUndefined();
		expectEvent(
			received[0],
			'{"eventName":"subscription renewed","origin":"api","contact":{"email":"jane@example.com","firstName":"Jane","lastName":"Doe"},"properties":{"plan":"annual","months":12}}',
		);
		expect(items[0].json).toMatchObject({ status: 'sent', eventName: 'subscription renewed' });
	});

	test('an empty custom event name in the parameters stops the workflow before anything is sent (n8n: required parameter)', async () => {
		const { received } = omnisendFake(() => [202]);
		await expect(runOmnisend(send({ preset: 'custom', customEventName: '', email: 'jane@example.com' }), [{}])).rejects.toThrow(
			'Parameter "Event Name" is required',
		);
		expect(received).toHaveLength(0);
	});

	test.each([['   '], ['={{ $json.missing }}'], ['={{ null }}'], ['={{ $json.name }}']])('a custom event name that comes out empty (%j) fails the item and sends nothing', async (customEventName) => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(send({ preset: 'custom', customEventName, email: 'jane@example.com' }), [{ name: ' ' }]);
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Event Name is empty (item 0)');
	});

	test('a contact first name over 50 characters fails the item', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { firstName: 'J'.repeat(51) } }),
			[{}],
		);
		expect(received).toHaveLength(0);
		expect(error?.message).toBe('Contact First Name is longer than 50 characters (item 0)');
	});

	test('contact names of exactly 50 characters are sent; a last name over 50 fails naming Contact Last Name', async () => {
		const { received } = omnisendFake(() => [202]);
		const fifty = 'J'.repeat(50);
		const ok = await runOmnisend(send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { firstName: fifty, lastName: fifty } }), [{}]);
		expect(ok.error).toBeUndefined();
		expectEvent(received[0], `{"eventName":"x","origin":"api","contact":{"email":"jane@example.com","firstName":"${fifty}","lastName":"${fifty}"},"properties":{}}`);
		const tooLong = await runOmnisend(
			send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { lastName: '={{ $json.last }}' } }),
			[{ last: 'D'.repeat(51) }],
		);
		expect(received).toHaveLength(1);
		expect(tooLong.error?.message).toBe('Contact Last Name is longer than 50 characters (item 0)');
	});
});

describe('Event › Send: continueOnFail', () => {
	test('a bad item becomes an error item paired to its index; the good items are still sent, in input order', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runOmnisend(
			send({
				preset: 'addedToCart',
				email: '={{ $json.email }}',
				productID: '={{ $json.sku }}',
				quantity: '={{ $json.quantity }}',
			}),
			[
				{ email: 'a@example.com', sku: 'SKU-1', quantity: 1 },
				{ email: 'b@example.com', sku: 'SKU-2', quantity: 1.5 },
				{ email: 'c@example.com', sku: 'SKU-3', quantity: 3 },
			],
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody).sort()).toEqual([
			'{"eventName":"added to cart","origin":"api","contact":{"email":"a@example.com"},"properties":{"productID":"SKU-1","quantity":1}}',
			'{"eventName":"added to cart","origin":"api","contact":{"email":"c@example.com"},"properties":{"productID":"SKU-3","quantity":3}}',
		]);
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json).toMatchObject({ status: 'sent', event: { contact: { email: 'a@example.com' } } });
		expectErrorItem(items[1], 1, {
			message: 'Property "quantity" must be a whole number, got 1.5 (item 1)',
			description:
				'Omnisend rejects a property whose type changes between events; send "quantity" as a whole number every time, or fix the source value.',
		});
		expect(items[2].json).toMatchObject({ status: 'sent', event: { contact: { email: 'c@example.com' } } });
	});

	test('without continueOnFail the same bad item stops the node with an error naming it', async () => {
		omnisendFake(() => [202]);
		const { error } = await runOmnisend(
			send({ preset: 'addedToCart', email: '={{ $json.email }}', quantity: '={{ $json.quantity }}' }),
			[
				{ email: 'a@example.com', quantity: 1 },
				{ email: 'b@example.com', quantity: 1.5 },
			],
		);
		expect(error?.message).toBe('Property "quantity" must be a whole number, got 1.5 (item 1)');
	});
});

describe('Event › Send: times follow the workflow time zone', () => {

	/** Runs the node in a workflow whose settings carry `timezone`. */
	async function runInZone(parameters: INodeParameters, input: IDataObject[], timezone: string, settings: { continueOnFail?: boolean } = {}) {
		const workflow = omnisendWorkflow(parameters, settings);
		workflow.settings = { timezone };
		const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input });
		return { items: result.output('Omnisend'), error: result.nodeError('Omnisend') };
	}
	const timed = (eventTime: string) =>
		send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventTime }, requestOptions: { concurrency: 1 } });
	const timedBody = (at: string) => `{"eventName":"x","origin":"api","eventTime":"${at}","contact":{"email":"jane@example.com"},"properties":{}}`;

	test('zone-less ISO text in any of its forms (date and time, minutes only, date only) is wall-clock time in the workflow zone', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runInZone(
			timed('={{ $json.when }}'),
			[{ when: '2026-01-02 03:04:05' }, { when: '2026-01-02T03:04' }, { when: '2026-01-02' }, { when: '2026-07-01 09:30:00' }],
			'Europe/Berlin',
		);
		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([
			timedBody('2026-01-02T02:04:05Z'),
			timedBody('2026-01-02T02:04:00Z'),
			timedBody('2026-01-01T23:00:00Z'),
			timedBody('2026-07-01T07:30:00Z'),
		]);
		expect(items.map((item) => (item.json.event as IDataObject).eventTime)).toEqual([
			'2026-01-02T02:04:05Z',
			'2026-01-02T02:04:00Z',
			'2026-01-01T23:00:00Z',
			'2026-07-01T07:30:00Z',
		]);
	});

	test('a number is Unix time: seconds below 1e11, milliseconds above; the workflow zone does not change it', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runInZone(timed('={{ $json.when }}'), [{ when: 1767323045 }, { when: 1767323045000 }, { when: 1767323045.25 }], 'America/New_York');
		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([
			timedBody('2026-01-02T03:04:05Z'),
			timedBody('2026-01-02T03:04:05Z'),
			timedBody('2026-01-02T03:04:05.250Z'),
		]);
	});

	test('text that carries its zone (HTTP date, ISO with an offset) is read in that zone, not the workflow\'s', async () => {
		const { received } = omnisendFake(() => [202]);
		const { error } = await runInZone(
			timed('={{ $json.when }}'),
			[{ when: 'Tue, 01 Jul 2026 09:30:00 GMT' }, { when: '2026-07-01T09:30:00-04:00' }, { when: '2026-07-01T09:30:00Z' }],
			'Europe/Berlin',
		);
		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([
			timedBody('2026-07-01T09:30:00Z'),
			timedBody('2026-07-01T13:30:00Z'),
			timedBody('2026-07-01T09:30:00Z'),
		]);
	});

	test('text without a zone that is not ISO (07/01/2026 09:30) is refused: the item fails and nothing is sent', async () => {
		const { received } = omnisendFake(() => [202]);
		const { items, error } = await runInZone(timed('={{ $json.when }}'), [{ when: '07/01/2026 09:30' }], 'Europe/Berlin');
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Event Time must be a date and time, got "07/01/2026 09:30" (item 0)');
	});

	test('Date and Time properties follow the same rules: workflow zone for zone-less text, seconds for small numbers; others refused', async () => {
		const { received } = omnisendFake(() => [202]);
		const parameters = send({
			preset: 'custom',
			customEventName: 'x',
			email: 'jane@example.com',
			additionalProperties: {
				property: [
					{ key: 'local', type: 'dateTime', value: '={{ $json.local }}' },
					{ key: 'unix', type: 'dateTime', value: '={{ $json.unix }}' },
					{ key: 'http', type: 'dateTime', value: '={{ $json.http }}' },
				],
			},
			requestOptions: { concurrency: 1 },
		});
		const { items, error } = await runInZone(
			parameters,
			[
				{ local: '2026-07-01T09:30', unix: 1782891000, http: 'Tue, 01 Jul 2026 09:30:00 GMT' },
				{ local: '07/01/2026 09:30' },
			],
			'Europe/Berlin',
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(received.map((request) => request.rawBody)).toEqual([
			'{"eventName":"x","origin":"api","contact":{"email":"jane@example.com"},"properties":{"local":"2026-07-01T07:30:00Z","unix":"2026-07-01T07:30:00Z","http":"2026-07-01T09:30:00Z"}}',
		]);
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			json: {
				status: 'sent',
				httpStatus: 202,
				attempts: 1,
				eventName: 'x',
				event: JSON.parse(
					'{"eventName":"x","origin":"api","contact":{"email":"jane@example.com"},"properties":{"local":"2026-07-01T07:30:00Z","unix":"2026-07-01T07:30:00Z","http":"2026-07-01T09:30:00Z"}}',
				),
			},
			pairedItem: { item: 0 },
		});
		expectErrorItem(items[1], 1, {
			message: 'Property "local" must be a date and time, got "07/01/2026 09:30" (item 1)',
			description: 'Omnisend rejects a property whose type changes between events; send "local" as a date and time every time, or fix the source value.',
		});
	});

	test('an Event Time without a zone (as the date picker stores it) is read in the workflow settings time zone', async () => {
		const { received } = omnisendFake(() => [202]);
		const workflow = omnisendWorkflow(
			send({ preset: 'custom', customEventName: 'x', email: 'jane@example.com', options: { eventTime: '2026-07-01T09:30:00' } }),
		);
		workflow.settings = { timezone: 'Europe/Berlin' };
		const result = await runWorkflow(workflow, { credentials: CREDENTIALS, input: [{}] });
		expect(result.nodeError('Omnisend')).toBeUndefined();
		expect(received).toHaveLength(1);
		expectEvent(received[0], '{"eventName":"x","origin":"api","eventTime":"2026-07-01T07:30:00Z","contact":{"email":"jane@example.com"},"properties":{}}');
	});
});
