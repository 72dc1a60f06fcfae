/** Volunteer organisations (共青团委, 少工委, 妇联, schools, charities…): plain records without events. */
import type { OrganisationDoc, VolunteerModels } from '../persistence/models.js';
import { DomainProblem, notFound } from '@tongxin/contracts/problems';

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

export function createOrganisations(deps: { models: VolunteerModels; now: () => Date }) {
  const { models, now } = deps;

  async function create(input: Omit<OrganisationDoc, 'createdAt' | 'createdBy'>, actor: string) {
    const doc: OrganisationDoc = { ...input, createdAt: now(), createdBy: actor };
    try {
      await models.Organisations.collection.insertOne(doc as never);
    } catch (error) {
      if (isDuplicate(error))
        throw new DomainProblem('organisation_exists', 'an organisation with this id exists', '该组织编号已存在');
      throw error;
    }
    return doc;
  }

  async function get(organisationId: string): Promise<OrganisationDoc> {
    const doc = await models.Organisations.findById(organisationId).lean<OrganisationDoc>();
    if (!doc) throw notFound('organisation', '组织');
    return doc;
  }

  return { create, get };
}
export type Organisations = ReturnType<typeof createOrganisations>;
