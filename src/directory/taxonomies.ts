/** Linkwell's own taxonomies (inserted by migration 0002 with these fixed ids). */
export const LINKWELL_TAXONOMIES = {
  activityType: {
    id: '05b64215-1445-5a01-9fa7-dc4fa898a8d9',
    terms: {
      'learning': { id: 'dd1f0c3d-9fec-5d59-a6b7-278bb481635a', name: 'Learning' },
      'arts-culture': { id: '38ed8a51-28d5-5d2d-9f98-e911c37d8fd8', name: 'Arts and culture' },
      'nature-gardening': { id: 'ffa3e1df-af4f-56dc-87d5-2aa0b5a7dd05', name: 'Nature and gardening' },
      'physical-activity': { id: '91f268f4-77b2-5c74-9fdd-3bd82d76e631', name: 'Physical activity' },
      'advice': { id: 'a9b677bc-00f8-5ea4-82b6-a82ee83b8a0a', name: 'Advice on money, housing, benefits or legal matters' },
      'volunteering': { id: 'e4b75318-3d91-5aed-95f9-6e5ae6a929fd', name: 'Volunteering' },
      'reading': { id: '868d4fdd-5da1-5756-9e4c-4993f7103a27', name: 'Reading' },
      'museums-heritage': { id: '3aaad157-f8be-5d72-a0fd-67ad06b55da9', name: 'Museums and heritage' },
      'peer-support': { id: '0efa7b27-e9ec-5792-9a15-6e55e71fb9b0', name: 'Peer support' },
      'employment-support': { id: '3597b315-fce9-5001-9e31-f85e96a711ba', name: 'Employment support' },
    },
  },
  fiveWays: {
    id: '605737be-7b90-57fd-9a71-66f196d41847',
    terms: {
      'connect': { id: '12a7bb7c-b9e0-5e86-b00a-855f933f6d2e', name: 'Connect' },
      'be-active': { id: '966e80f9-2eb8-59f0-bdc3-85ab101d94b8', name: 'Be active' },
      'take-notice': { id: '8011649f-8787-5aff-832c-037ac4d8e9b1', name: 'Take notice' },
      'keep-learning': { id: 'adcabff0-2c13-5cac-a68f-f00f15dfe8fc', name: 'Keep learning' },
      'give': { id: '03fc0e91-3729-5676-8806-432aacce888e', name: 'Give' },
    },
  },
} as const;
