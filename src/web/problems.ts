/**
 * Errors a user can cause, as typed values with a status and a message written for a person.
 * The error handler (errors.ts) turns them into an NHS.UK error page or RFC 9457 problem+json.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly fields: { name: string; detail: string }[];
  constructor(status: number, title: string, detail: string, fields: { name: string; detail: string }[] = []) {
    super(detail);
    this.status = status;
    this.title = title;
    this.fields = fields;
  }
}

export const notFound = (detail = 'The page or record you asked for does not exist, or you do not have access to it.') =>
  new HttpProblem(404, 'Not found', detail);
export const forbidden = (detail = 'You do not have permission to do that.') => new HttpProblem(403, 'Forbidden', detail);
export const badRequest = (detail: string, fields: { name: string; detail: string }[] = []) =>
  new HttpProblem(400, 'Bad request', detail, fields);
export const unprocessable = (detail: string, fields: { name: string; detail: string }[] = []) =>
  new HttpProblem(422, 'Unprocessable content', detail, fields);
export const conflict = (detail: string) => new HttpProblem(409, 'Conflict', detail);
