import type { PropertyType } from './properties';

/**
 * A property a preset fills from its own parameter. `property` is the name sent to Omnisend (the
 * parameter's name when absent); `lineItems` turns a product list into Omnisend `lineItems`,
 * `discounts` turns codes into `discounts: [{ code }]`.
 */
export interface PresetField {
	key: string;
	property?: string;
	displayName: string;
	type: PropertyType | 'lineItems' | 'discounts';
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
	 * The eventVersion Omnisend documents for its recommended events on /v5/events (api-docs
	 * /docs/placed-order: "v2"; /docs/started-checkout: "" (empty), sent as such). Undefined for
	 * custom events: none is sent.
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
	extra: Partial<PresetField> = {},
): PresetField => ({ key, displayName, type, placeholder, description, ...extra });

const productFields = [
	field('productID', 'Product ID', 'string', 'e.g. {{ $json.product_id }}', 'Your product identifier'),
	field('productTitle', 'Product Title', 'string', 'e.g. {{ $json.name }}', 'Product name as shown to customers'),
	field('productPrice', 'Product Price', 'number', 'e.g. {{ $json.price }}', 'Unit price'),
];
const lineItems = field(
	'products',
	'Products',
	'lineItems',
	'e.g. {{ $json.products }}',
	'List of products (JSON array of objects). Tracker names are turned into Omnisend\'s line-item names: product_id → productID, product_name/name → productTitle, price → productPrice, quantity → productQuantity, sku → productSKU, url → productURL, image_url → productImageURL; other keys are sent as they are',
	{ property: 'lineItems' },
);
const currency = field('currency', 'Currency', 'string', 'e.g. GBP', 'ISO 4217 currency code');

/**
 * The storefront mapping of seed 001 (Datafly / Segment-style events -> Omnisend customer
 * events), by the seed's event names. `placed order` and `started checkout` are Omnisend
 * recommended events: they carry its documented eventVersion and its property names (totalPrice,
 * discounts, lineItems) so that order reporting and checkout-abandonment flows understand them.
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
			field('cartID', 'Cart ID', 'string', 'e.g. {{ $json.cart_id }}', 'Your cart identifier'),
			field('value', 'Cart Value', 'number', 'e.g. {{ $json.value }}', 'Total value of the cart'),
			currency,
			field('abandonedCheckoutURL', 'Abandoned Checkout URL', 'string', 'e.g. {{ $json.checkout_url }}', 'Link that takes the customer back to the checkout'),
			lineItems,
		],
	},
	{
		value: 'placedOrder',
		name: 'Placed Order',
		description: 'Order ID, total, currency, discount codes and line items',
		eventName: 'placed order',
		eventVersion: 'v2',
		fields: [
			field('orderID', 'Order ID', 'string', 'e.g. {{ $json.order_id }}', 'Your order identifier', { required: true }),
			field('value', 'Order Total', 'number', 'e.g. {{ $json.revenue }}', 'Order total (Omnisend needs it for revenue reporting)', { property: 'totalPrice' }),
			currency,
			field('discountCode', 'Discount Codes', 'discounts', 'e.g. {{ $json.coupon }}', 'Coupon or discount codes used, comma-separated', { property: 'discounts' }),
			lineItems,
		],
	},
];

export const CUSTOM_PRESET = 'custom';

export function findPreset(value: string): EventPreset | undefined {
	return EVENT_PRESETS.find((preset) => preset.value === value);
}
