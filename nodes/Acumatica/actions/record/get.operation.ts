import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fromAcumaticaRecord } from '../../helpers/record';
import type { AcumaticaClient } from '../../transport';
import { readEntity, readIdentity, shapeOptions, shapeQuery } from './fields';

const OPERATION = ['get'];

export const description: INodeProperties[] = [shapeOptions(OPERATION)];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject> {
	const entity = readEntity.call(this, itemIndex);
	const { path } = readIdentity.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const response = await client.request(
		{ method: 'GET', path: `/${entity}${path}`, qs: shapeQuery(options), idempotent: true },
		itemIndex,
	);
	return fromAcumaticaRecord(response.body);
}
