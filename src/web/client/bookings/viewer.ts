import type { ActingViewer } from '../../../domain/booking-actions.js';
import type { AppContext } from '../ui.js';

/** The signed-in person as the action rules see a viewer. */
export const viewerOf = (ctx: Pick<AppContext, 'me'>): ActingViewer => ({ userId: ctx.me.userId, tenantId: ctx.me.tenant.id, role: ctx.me.role });
