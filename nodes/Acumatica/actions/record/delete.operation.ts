import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AcumaticaClient } from '../../transport';
import { readEntity, readIdentity } from './fields';


export async function execute(this: IExecuteFunctions, itemIndex: number, client: AcumaticaClient): Promise<IDataObject> {
	const entity = readEntity.call(this, itemIndex);
	const { path, shown } = readIdentity.call(this, itemIndex);
	await client.request({ method: 'DELETE', path: `/${entity}${path}`, idempotent: true }, itemIndex);
	return { deleted: true, entity, ...shown };
}
