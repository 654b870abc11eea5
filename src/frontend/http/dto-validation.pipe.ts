import { ArgumentMetadata, BadRequestException, Injectable, Optional, Type, ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';

const REJECTS_UNKNOWN = Symbol('dto:rejects-unknown-fields');

/**
 * Marks a DTO whose unknown fields are refused (`unknown field(s): …`) rather than dropped: where
 * a misspelt field would otherwise be a change that silently did nothing.
 */
export function RejectUnknownFields(): ClassDecorator {
  return (target) => Reflect.defineMetadata(REJECTS_UNKNOWN, true, target);
}

/**
 * The one 400 a request gets: the first problem, in the order the DTO declares its fields (so
 * a DTO says which check speaks first), unknown fields last; a plain message, which the admin UI
 * shows and the public API sends as text.
 */
export function firstProblem(errors: ValidationError[]): BadRequestException {
  const unknown: string[] = [];
  for (const e of errors) {
    const messages = Object.entries(e.constraints ?? {});
    const known = messages.find(([name]) => name !== 'whitelistValidation');
    if (known) return new BadRequestException(known[1]);
    if (messages.length) unknown.push(e.property);
  }
  return new BadRequestException(unknown.length ? `unknown field(s): ${unknown.join(', ')}` : 'the request is not valid');
}

/**
 * Validates (and builds) a DTO with class-validator and class-transformer. Only DTO classes are
 * touched: a parameter of a plain type (a route's `@Param('id', ParseIntPipe) id: number`) goes
 * through as it came, so this pipe changes nothing it has no class for. Fields a DTO does not
 * declare are dropped, or refused where it says @RejectUnknownFields; no type is converted
 * unless its DTO says so (@Type), so a JSON "12" is not the number 12.
 */
@Injectable()
export class DtoValidationPipe extends ValidationPipe {
  constructor(@Optional() options: { expectedType?: Type<unknown>; validateCustomDecorators?: boolean } = {}) {
    super({
      transform: true,
      whitelist: true,
      stopAtFirstError: true,
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
      exceptionFactory: firstProblem,
      ...options,
    });
  }

  protected override transformPrimitive(value: unknown, _metadata: ArgumentMetadata): unknown {
    return value;
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions) {
    const strict = Reflect.getMetadata(REJECTS_UNKNOWN, object.constructor) === true;
    return super.validate(object, { ...validatorOptions, forbidNonWhitelisted: strict });
  }
}

/** The pipe for a parameter of a custom decorator (a public request's fields): validates it as `dto`. */
export function validatedAs(dto: Type<unknown>): DtoValidationPipe {
  return new DtoValidationPipe({ expectedType: dto, validateCustomDecorators: true });
}
