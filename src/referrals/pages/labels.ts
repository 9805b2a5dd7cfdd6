/**
 * Words for the journey's codes, as people see them on the pages, and the NHS.UK tag colour of
 * each status. Passed to the views as `labels`.
 */
export const REFERRAL_STATUS: Record<string, { text: string; tag: string }> = {
  received: { text: 'Received', tag: 'nhsuk-tag--blue' },
  accepted: { text: 'Accepted', tag: 'nhsuk-tag--aqua-green' },
  in_progress: { text: 'In progress', tag: 'nhsuk-tag--green' },
  declined: { text: 'Declined', tag: 'nhsuk-tag--red' },
  redirected: { text: 'Redirected', tag: 'nhsuk-tag--orange' },
  closed: { text: 'Closed', tag: 'nhsuk-tag--grey' },
};

export const ONWARD_STATUS: Record<string, { text: string; tag: string }> = {
  signposted: { text: 'Signposted', tag: 'nhsuk-tag--grey' },
  sent: { text: 'Sent, waiting for reply', tag: 'nhsuk-tag--blue' },
  accepted: { text: 'Accepted', tag: 'nhsuk-tag--aqua-green' },
  declined: { text: 'Declined', tag: 'nhsuk-tag--red' },
  waitlisted: { text: 'Waiting list', tag: 'nhsuk-tag--yellow' },
  enrolled: { text: 'Enrolled', tag: 'nhsuk-tag--green' },
  started: { text: 'Started', tag: 'nhsuk-tag--green' },
  completed: { text: 'Completed', tag: 'nhsuk-tag--purple' },
  withdrawn: { text: 'Withdrawn', tag: 'nhsuk-tag--grey' },
  did_not_start: { text: 'Did not start', tag: 'nhsuk-tag--grey' },
};

export const ONWARD_KIND: Record<string, string> = {
  signpost: 'Signpost',
  referral: 'Referral',
  supported: 'Supported referral',
  accompanied: 'Accompanied referral',
};

export const CONTACT_METHOD: Record<string, string> = {
  face_to_face: 'Face to face',
  phone: 'Phone',
  video: 'Video',
  home_visit: 'Home visit',
  group: 'Group',
};

export const GOAL_STATUS: Record<string, string> = {
  active: 'Working on it',
  achieved: 'Achieved',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
  dropped: 'Dropped',
};

export const ACTION_STATUS: Record<string, string> = { agreed: 'Agreed', in_progress: 'In progress', done: 'Done', not_done: 'Not done' };

export const PROGRESSION: Record<string, string> = {
  another_course: 'Another course',
  volunteering: 'Volunteering',
  employment: 'Employment',
  peer_group: 'A peer group',
  none: 'None',
};

export const CONCERN_KIND: Record<string, string> = {
  check_in: 'Check-in',
  disengaging: 'Disengaging',
  wellbeing: 'Wellbeing concern',
  safeguarding: 'Safeguarding concern',
};

export const SEX: Record<string, string> = { female: 'Female', male: 'Male', not_known: 'Not known', not_stated: 'Prefer not to say' };

export const PREFERRED_CONTACT: Record<string, string> = { phone: 'Phone call', text: 'Text message', email: 'Email', letter: 'Letter' };

export const METHOD: Record<string, string> = {
  web: 'Web form', self: 'Self-referral', api: 'API', phone: 'Phone', email: 'Email', letter: 'Letter', secure_messaging: 'Secure messaging', e_rs: 'e-RS',
};

export const LABELS = {
  referralStatus: REFERRAL_STATUS,
  onwardStatus: ONWARD_STATUS,
  onwardKind: ONWARD_KIND,
  contactMethod: CONTACT_METHOD,
  goalStatus: GOAL_STATUS,
  actionStatus: ACTION_STATUS,
  progression: PROGRESSION,
  concernKind: CONCERN_KIND,
  sex: SEX,
  preferredContact: PREFERRED_CONTACT,
  method: METHOD,
};
