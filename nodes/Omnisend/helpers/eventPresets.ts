import type { PropertyType } from './properties';

/** A property a preset fills from its own parameter (`lineItems`: a list of products). */
export interface PresetField {
	key: string;
	displayName: string;
	type: PropertyType | 'lineItems';
	placeholder: string;
	description: string;
	required?: boolean;
}

export interface EventPreset {
	value: string;
	name: string;
	description: string;
	eventName: string;
	/**
	 * The eventVersion Omnisend documents for its recommended events on /v5/events (`placed order`:
	 * "v2"; `started checkout`: "" sent as such). Undefined for custom events: none is sent.
	 */
	eventVersion?: string;
	fields: PresetField[];
}

const field = (
	key: string,
	displayName: string,
	type: PresetField['type'],
	placeholder: string,
	description: string,
	required = false,
): PresetField => ({ key, displayName, type, placeholder, description, required });

const productFields = [
	field('productID', 'Product ID', 'string', 'e.g. {{ $json.product_id }}', 'Your product identifier'),
	field('productTitle', 'Product Title', 'string', 'e.g. {{ $json.name }}', 'Product name as shown to customers'),
	field('productPrice', 'Product Price', 'decimal', 'e.g. {{ $json.price }}', 'Sent as a decimal number (19 becomes 19.0)'),
];
const products = field(
	'products',
	'Products',
	'lineItems',
	'e.g. {{ $json.products }}',
	'List of products (JSON array of objects). price/productPrice are sent as decimals and quantity/productQuantity as whole numbers; other keys pass through unchanged.',
);
const value = field('value', 'Value', 'decimal', 'e.g. {{ $json.revenue }}', 'Total value, sent as a decimal number (90 becomes 90.0)');
const currency = field('currency', 'Currency', 'string', 'e.g. GBP', 'ISO 4217 currency code');

/**
 * The seed-001 mapping (Datafly / Segment-style events -> Omnisend customer events). Names are the
 * seed's; `placed order` and `started checkout` are also Omnisend recommended events, so they carry
 * the eventVersion Omnisend documents for /v5/events (`v2`, and an empty string).
 */
export const EVENT_PRESETS: EventPreset[] = [
	{
		value: 'pageViewed',
		name: 'Page Viewed',
		description: 'A "page" call: URL, title and referrer',
		eventName: 'page viewed',
		fields: [
			field('url', 'Page URL', 'string', 'e.g. {{ $json.context.page.url }}', 'Address of the page viewed'),
			field('title', 'Page Title', 'string', 'e.g. {{ $json.context.page.title }}', 'Title of the page viewed'),
			field('referrer', 'Referrer', 'string', 'e.g. {{ $json.context.page.referrer }}', 'Page the visitor came from'),
		],
	},
	{
		value: 'signedUp',
		name: 'Signed Up',
		description: 'A sign-up; triggers welcome flows built on it',
		eventName: 'signed up',
		fields: [field('signUpMethod', 'Sign-Up Method', 'string', 'e.g. {{ $json.method }}', 'How the person signed up (form, checkout, social …)')],
	},
	{
		value: 'productViewed',
		name: 'Product Viewed',
		description: 'Product ID, title, price and URL; powers browse abandonment',
		eventName: 'product viewed',
		fields: [...productFields, field('productURL', 'Product URL', 'string', 'e.g. {{ $json.url }}', 'Link to the product page')],
	},
	{
		value: 'addedToCart',
		name: 'Added to Cart',
		description: 'Product, price and quantity',
		eventName: 'added to cart',
		fields: [...productFields, field('quantity', 'Quantity', 'integer', 'e.g. {{ $json.quantity }}', 'Number of units added')],
	},
	{
		value: 'startedCheckout',
		name: 'Started Checkout',
		description: 'Cart value, products and abandoned-checkout URL; powers cart recovery',
		eventName: 'started checkout',
		eventVersion: '',
		fields: [
			value,
			currency,
			field('abandonedCheckoutURL', 'Abandoned Checkout URL', 'string', 'e.g. {{ $json.checkout_url }}', 'Link that takes the customer back to the checkout'),
			products,
		],
	},
	{
		value: 'placedOrder',
		name: 'Placed Order',
		description: 'Order ID, revenue, currency, discount code and line items',
		eventName: 'placed order',
		eventVersion: 'v2',
		fields: [
			field('orderID', 'Order ID', 'string', 'e.g. {{ $json.order_id }}', 'Your order identifier', true),
			value,
			currency,
			field('discountCode', 'Discount Code', 'string', 'e.g. {{ $json.coupon }}', 'Coupon or discount code used'),
			products,
		],
	},
];

export const CUSTOM_PRESET = 'custom';

export function findPreset(value: string): EventPreset | undefined {
	return EVENT_PRESETS.find((preset) => preset.value === value);
}
