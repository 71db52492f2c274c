/**
 * Lambda: rest-json under /2015-03-31/functions (and /2017-03-31/tags), routed by the HTTP
 * traits of the Lambda service model; errors as `x-amzn-errortype` + `{"Type","message"}`.
 */
import { AwsError } from '../errors.js';
import { renderRestJsonError } from '../protocols/json.js';
import { restRouter } from '../protocols/rest-router.js';
import type { Service } from '../request.js';
import {
  createFunction,
  deleteFunction,
  getFunction,
  getFunctionConfiguration,
  listFunctions,
  listTags,
  listVersionsByFunction,
  publishVersion,
  tagResource,
  untagResource,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './functions.js';
import { UPDATE_FUNCTION_CODE_MAX_REQUEST_BYTES } from './rules.js';

const FUNCTIONS = '/2015-03-31/functions';
const TAGS = '/2017-03-31/tags';

export const lambda: Service = {
  name: 'lambda',
  // The largest request any operation takes (UpdateFunctionCode); CreateFunction checks its own.
  maxBodyBytes: UPDATE_FUNCTION_CODE_MAX_REQUEST_BYTES,
  resolve: restRouter([
    { operation: 'CreateFunction', method: 'POST', path: FUNCTIONS, handle: createFunction },
    { operation: 'ListFunctions', method: 'GET', path: FUNCTIONS, handle: listFunctions },
    { operation: 'GetFunction', method: 'GET', path: `${FUNCTIONS}/{FunctionName}`, handle: getFunction },
    { operation: 'DeleteFunction', method: 'DELETE', path: `${FUNCTIONS}/{FunctionName}`, handle: deleteFunction },
    { operation: 'GetFunctionConfiguration', method: 'GET', path: `${FUNCTIONS}/{FunctionName}/configuration`, handle: getFunctionConfiguration },
    { operation: 'UpdateFunctionConfiguration', method: 'PUT', path: `${FUNCTIONS}/{FunctionName}/configuration`, handle: updateFunctionConfiguration },
    { operation: 'UpdateFunctionCode', method: 'PUT', path: `${FUNCTIONS}/{FunctionName}/code`, handle: updateFunctionCode },
    { operation: 'PublishVersion', method: 'POST', path: `${FUNCTIONS}/{FunctionName}/versions`, handle: publishVersion },
    { operation: 'ListVersionsByFunction', method: 'GET', path: `${FUNCTIONS}/{FunctionName}/versions`, handle: listVersionsByFunction },
    { operation: 'TagResource', method: 'POST', path: `${TAGS}/{Resource}`, handle: tagResource },
    { operation: 'UntagResource', method: 'DELETE', path: `${TAGS}/{Resource}`, handle: untagResource },
    { operation: 'ListTags', method: 'GET', path: `${TAGS}/{Resource}`, handle: listTags },
  ]),
  renderError: renderRestJsonError,
  throttleError: () => new AwsError('TooManyRequestsException', 429, 'Rate exceeded'),
};
