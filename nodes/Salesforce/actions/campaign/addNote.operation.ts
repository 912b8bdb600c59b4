import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../helpers/input';
import { answerObject, salesforceRequest } from '../../transport';
import { campaignLocator, readCampaignId } from '../common';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	campaignLocator,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Experiment result: checkout-button-color',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		required: true,
		description: 'The note, e.g. a result summary. Plain text unless Text Format is HTML.',
	},
	{
		displayName: 'Note Type',
		name: 'noteType',
		type: 'options',
		options: [
			{
				name: 'Note (Enhanced Notes, ContentNote)',
				value: 'contentNote',
				description: 'Lightning notes; Notes must be enabled (Setup → Notes Settings). Creates the note, then links it to the Campaign.',
			},
			{ name: 'Legacy Note (Classic)', value: 'note', description: 'The old Note object, plain text, shown in Classic and in the Notes & Attachments list' },
		],
		default: 'contentNote',
	},
	{
		displayName: 'Text Format',
		name: 'textFormat',
		type: 'options',
		options: [
			{ name: 'Plain Text', value: 'text', description: 'Special characters are escaped; each line becomes a paragraph' },
			{ name: 'HTML', value: 'html', description: 'Sent as is (Salesforce keeps only simple formatting)' },
		],
		default: 'text',
		displayOptions: { show: { noteType: ['contentNote'] } },
	},
	{
		displayName: 'Share Type',
		name: 'shareType',
		type: 'options',
		options: [
			{ name: 'Inferred (From the Campaign\'s Sharing)', value: 'I' },
			{ name: 'Viewer', value: 'V' },
			{ name: 'Collaborator', value: 'C' },
		],
		default: 'V',
		description: 'The ContentDocumentLink ShareType: what users who can see the Campaign may do with the note',
		displayOptions: { show: { noteType: ['contentNote'] } },
	},
	{
		displayName: 'Private',
		name: 'isPrivate',
		type: 'boolean',
		default: false,
		description: 'Whether only the owner (the Run As user) and admins can see the legacy note',
		displayOptions: { show: { noteType: ['note'] } },
	},
];

export const description = updateDisplayOptions({ show: { resource: ['campaign'], operation: ['addNote'] } }, properties);

// What Salesforce's recommended String.escapeHtml4() escapes in ASCII text (the apostrophe stays as is).
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Plain text as ContentNote HTML: escaped like escapeHtml4(), one paragraph per line (Salesforce strips raw line breaks). */
export function textToNoteHtml(text: string): string {
	return text
		.split(/\r\n|\r|\n/)
		.map((line) => `<p>${line.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char])}</p>`)
		.join('');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<IDataObject> {
	const campaignId = readCampaignId(this, itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex, '') ?? '').trim();
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	if (title === '') throw new InputError('Title', 'The note title is empty', 'Give the note a title.');
	if (title.length > 255) throw new InputError('Title', `The note title has ${title.length} characters; Salesforce allows 255`, 'Shorten the title.');
	if (text.trim() === '') throw new InputError('Text', 'The note text is empty', 'Give the note some text, e.g. the result summary.');
	const noteType = this.getNodeParameter('noteType', itemIndex, 'contentNote') as string;

	if (noteType === 'note') {
		if (title.length > 80) throw new InputError('Title', `A legacy note title holds at most 80 characters (got ${title.length})`, 'Shorten the title or use Note Type "Note".');
		if (text.length > 32000) throw new InputError('Text', `A legacy note holds at most 32,000 characters (got ${text.length})`, 'Shorten it or use Note Type "Note".');
		const isPrivate = this.getNodeParameter('isPrivate', itemIndex, false) as boolean;
		// Creates are never retried: a second POST would make a second note.
		const response = await salesforceRequest.call(
			this,
			{ method: 'POST', path: '/sobjects/Note', body: { ParentId: campaignId, Title: title, Body: text, IsPrivate: isPrivate }, idempotent: false },
			itemIndex,
			context,
		);
		return { campaignId, noteType: 'Note', noteId: answerObject(response).id, title, ...context.meta(response) };
	}

	const html = this.getNodeParameter('textFormat', itemIndex, 'text') === 'html' ? text : textToNoteHtml(text);
	const shareType = this.getNodeParameter('shareType', itemIndex, 'V') as string;
	const note = await salesforceRequest.call(
		this,
		{ method: 'POST', path: '/sobjects/ContentNote', body: { Title: title, Content: Buffer.from(html, 'utf8').toString('base64') }, idempotent: false },
		itemIndex,
		context,
	);
	const noteId = String(answerObject(note).id ?? '');
	let linkFailure: NodeApiError | undefined;
	let link;
	try {
		link = await salesforceRequest.call(
			this,
			{
				method: 'POST',
				path: '/sobjects/ContentDocumentLink',
				body: { ContentDocumentId: noteId, LinkedEntityId: campaignId, ShareType: shareType, Visibility: 'AllUsers' },
				idempotent: false,
			},
			itemIndex,
			context,
		);
	} catch (error) {
		const cause = error as NodeApiError;
		linkFailure = new NodeApiError(this.getNode(), { noteId } as JsonObject, {
			message: `The note ${noteId} was created but not linked to Campaign ${campaignId}: ${cause.message}`,
			description: `${cause.description ?? ''} The note exists without the link (find it under Notes as its owner, the Run As user); running the item again creates another note.`.trim(),
			httpCode: cause.httpCode ?? undefined,
			itemIndex,
		});
	}
	if (linkFailure) throw linkFailure;
	return {
		campaignId,
		noteType: 'ContentNote',
		noteId,
		contentDocumentLinkId: link ? answerObject(link).id : undefined,
		title,
		...context.meta(link ?? note),
	};
}
