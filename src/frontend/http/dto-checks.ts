import { ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';

/**
 * The field may be left out; when it is there, its checks apply. Unlike class-validator's
 * IsOptional, null is a value like any other (and refused by a check that wants a number).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** Like Optional, but an empty query parameter (`?from=`) counts as left out too. */
export const OptionalParam = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined && value !== '');

/**
 * One named check with its own message: the message may name what was sent (the value is only
 * ever put into a 400's text for the sender, never logged).
 */
export function Check(name: string, problem: (value: unknown, property: string) => string | null): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => problem(value, args?.property ?? name) === null,
      defaultMessage: (args?: ValidationArguments) => problem(args?.value, args?.property ?? name) ?? '',
    },
  });
}

/** Text that JavaScript's Date reads as a time, as the API has always taken it (ISO 8601 above all). */
export function isDateText(value: unknown): boolean {
  return !Number.isNaN(new Date(String(value)).getTime());
}
