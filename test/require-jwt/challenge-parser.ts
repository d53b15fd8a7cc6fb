// A strict parser of one WWW-Authenticate challenge (RFC 9110, section 11.2), written apart from
// the builder so that a test can read a header back the way a client would.
//   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param = token BWS "=" BWS ( token / quoted-string )

/** A parsed challenge: its scheme and its parameters by lower-case name. */
export interface ParsedChallenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses one challenge and throws on any syntax error or a repeated parameter. */
export function parseChallenge(header: string): ParsedChallenge {
  const schemeMatch = TOKEN.exec(header);
  if (schemeMatch === null) {
    throw new SyntaxError('challenge has no scheme');
  }

  const scheme = schemeMatch[0];
  let rest = header.slice(scheme.length);
  const params: Record<string, string> = Object.create(null);
  if (rest === '') {
    return { scheme, params };
  }

  if (!rest.startsWith(' ')) {
    throw new SyntaxError('scheme must be followed by a space');
  }
  rest = rest.replace(/^ +/, '');

  while (rest !== '') {
    const nameMatch = TOKEN.exec(rest);
    if (nameMatch === null) {
      throw new SyntaxError(`expected a parameter name at: ${rest}`);
    }
    const name = nameMatch[0].toLowerCase();
    const equals = /^[ \t]*=[ \t]*/.exec(rest.slice(nameMatch[0].length));
    if (equals === null) {
      throw new SyntaxError(`expected = after ${name}`);
    }
    rest = rest.slice(nameMatch[0].length + equals[0].length);

    let value: string;
    if (rest.startsWith('"')) {
      [value, rest] = readQuotedString(rest);
    } else {
      const valueMatch = TOKEN.exec(rest);
      if (valueMatch === null) {
        throw new SyntaxError(`expected a token or quoted-string for ${name}`);
      }
      value = valueMatch[0];
      rest = rest.slice(value.length);
    }

    if (name in params) {
      throw new SyntaxError(`parameter ${name} is repeated`);
    }
    params[name] = value;

    rest = rest.replace(/^[ \t]*/, '');
    if (rest === '') {
      break;
    }
    if (!rest.startsWith(',')) {
      throw new SyntaxError(`expected a comma at: ${rest}`);
    }
    rest = rest.slice(1).replace(/^[ \t]*/, '');
  }
  return { scheme, params: { ...params } };
}

function readQuotedString(input: string): [string, string] {
  let value = '';
  for (let index = 1; index < input.length; index += 1) {
    const character = input[index]!;
    if (character === '\\') {
      const escaped = input[index + 1];
      if (escaped === undefined) {
        throw new SyntaxError('quoted-string ends in a backslash');
      }
      value += escaped;
      index += 1;
    } else if (character === '"') {
      return [value, input.slice(index + 1)];
    } else if (character < ' ' && character !== '\t') {
      throw new SyntaxError('quoted-string contains a control character');
    } else {
      value += character;
    }
  }
  throw new SyntaxError('quoted-string is not closed');
}
