import type { SubscriptionView } from '../../handlers/subscriptions/index.js';
import { ru } from '../texts/ru.js';
import type { Button, ButtonAction, Buttons, ButtonTone } from './buttons.js';

/**
 * The buttons of /subscribe, for every messenger: a ✓ on each chosen district and topic (drawn again
 * from the stored choice after every press), «Весь город», «Готово» and, while subscribed, «Отписаться
 * от всех». («Отписаться» under a broadcast is `broadcastButtons` of buttons.ts.)
 */

const PER_ROW = 2;

const press = (label: string, action: ButtonAction, tone: ButtonTone = 'secondary'): Button => ({ label, action, tone });
const mark = (label: string, chosen: boolean) => (chosen ? ru.subscriptions.chosen(label) : label);

function rows(buttons: Button[]): Buttons {
  const out: Buttons = [];
  for (let i = 0; i < buttons.length; i += PER_ROW) out.push(buttons.slice(i, i + PER_ROW));
  return out;
}

/** The districts, two to a row, and «Весь город» (✓ when no district is chosen). */
export function subscriptionDistrictRows(view: SubscriptionView): Buttons {
  const districts = view.districts.map((d) =>
    press(mark(d.name, d.chosen), { type: 'sub_toggle', what: 'district', id: d.id }, d.chosen ? 'primary' : 'secondary'),
  );
  const city = press(
    mark(ru.subscriptions.wholeCityButton, view.wholeCity),
    { type: 'sub_city' },
    view.wholeCity ? 'primary' : 'secondary',
  );
  return [...rows(districts), [city]];
}

/** The topics of the domain file, two to a row (none in a file without broadcasts). */
export function subscriptionTopicRows(view: SubscriptionView): Buttons {
  return rows(
    view.topics.map((t) =>
      press(mark(t.name, t.chosen), { type: 'sub_toggle', what: 'topic', id: t.id }, t.chosen ? 'primary' : 'secondary'),
    ),
  );
}

/** «Готово», and «Отписаться от всех» while the subscription is active. */
export function subscriptionControlRow(view: Pick<SubscriptionView, 'active'>): Button[] {
  return [
    press(ru.subscriptions.doneButton, { type: 'sub_done' }, 'positive'),
    ...(view.active
      ? [press(ru.subscriptions.unsubscribeAllButton, { type: 'unsubscribe', broadcastId: null }, 'negative')]
      : []),
  ];
}

/** The whole /subscribe keyboard: districts, topics, controls. */
export function subscriptionButtons(view: SubscriptionView): Buttons {
  return [...subscriptionDistrictRows(view), ...subscriptionTopicRows(view), subscriptionControlRow(view)];
}
