/** Typed callback-data codec: every inline button's payload is built and parsed here, never with ad-hoc split(). */
export type CallbackAction = { type: 'consent'; answer: 'yes' | 'no' } | { type: 'new_case' };

export function encodeCallback(action: CallbackAction): string {
  switch (action.type) {
    case 'consent':
      return `consent:${action.answer}`;
    case 'new_case':
      return 'case:new';
  }
}

export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (data === 'consent:yes') return { type: 'consent', answer: 'yes' };
  if (data === 'consent:no') return { type: 'consent', answer: 'no' };
  if (data === 'case:new') return { type: 'new_case' };
  return null;
}
