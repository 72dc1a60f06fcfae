import { ConcurrencyError } from '@tongxin/bus';
import { AppError } from '@tongxin/service-kit';

import { RegistryConflict } from '../service/children.js';

const STATUS: Record<string, number> = { not_found: 404 };

/** Maps application errors to problem+json: conflicts are 409 with the code, missing things 404. */
export function rethrow(error: unknown): never {
  if (error instanceof RegistryConflict) {
    throw new AppError({
      code: error.code,
      status: STATUS[error.code] ?? 409,
      detail: { en: error.en, zh: error.zh },
      title: { en: error.en, zh: error.zh },
      extra: error.extra,
    });
  }
  if (error instanceof ConcurrencyError) {
    throw new AppError({
      code: 'conflict',
      status: 409,
      retriable: true,
      detail: { en: 'changed by someone else meanwhile; read it again', zh: '已被他人修改，请重新读取' },
    });
  }
  throw error;
}
