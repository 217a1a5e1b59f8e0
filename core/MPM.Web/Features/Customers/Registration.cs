using System.Text.RegularExpressions;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using MPM.Core.Domain;
using MPM.Data;
using Npgsql;

namespace MPM.Web.Features.Customers;

public sealed record CustomerInput(string? Name, string? Surname, string? Phone, DateOnly? BirthDate, string? Gender);

public sealed record AddressInput(long? VillageId, string? Street, decimal? Latitude, decimal? Longitude);

public sealed record MeterInput(string? SerialNumber, long? ManufacturerId, long? TariffId, long? ConnectionTypeId, long? ConnectionGroupId, long? MeterTypeId = null);

public sealed record RegistrationRequest(CustomerInput? Customer, AddressInput? Address, MeterInput? Meter);

/// <summary>Field errors use the request's JSON paths, e.g. "meter.serialNumber".</summary>
public sealed record RegistrationResult(long? CustomerId, long? MeterId, IReadOnlyDictionary<string, string> Errors, string? Conflict)
{
    public bool Succeeded => CustomerId is not null;
}

/// <summary>
/// Registers a customer together with their meter, atomically (the only way a customer comes into being).
/// Nothing is stored when anything is wrong; an existing serial is a conflict.
/// </summary>
public sealed partial class Registration(MpmDb db, TimeProvider clock)
{
    public const int MaxSerialLength = 40;

    public async Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        var errors = Validate(request);
        var customer = request.Customer!;
        var address = request.Address!;
        var meter = request.Meter!;
        if (errors.Count > 0)
        {
            return new RegistrationResult(null, null, errors, null);
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var tariff = await db.Tariffs.FirstOrDefaultAsync(t => t.Id == meter.TariffId, cancellationToken);
        if (!await db.Villages.AnyAsync(v => v.Id == address.VillageId, cancellationToken))
        {
            errors["address.villageId"] = $"village {address.VillageId} does not exist";
        }

        if (tariff is null)
        {
            errors["meter.tariffId"] = $"tariff {meter.TariffId} does not exist";
        }

        if (!await db.Manufacturers.AnyAsync(m => m.Id == meter.ManufacturerId, cancellationToken))
        {
            errors["meter.manufacturerId"] = $"manufacturer {meter.ManufacturerId} does not exist";
        }

        if (meter.ConnectionTypeId is { } typeId && !await db.ConnectionTypes.AnyAsync(t => t.Id == typeId, cancellationToken))
        {
            errors["meter.connectionTypeId"] = $"connection type {typeId} does not exist";
        }

        if (meter.ConnectionGroupId is { } groupId && !await db.ConnectionGroups.AnyAsync(g => g.Id == groupId, cancellationToken))
        {
            errors["meter.connectionGroupId"] = $"connection group {groupId} does not exist";
        }

        if (meter.MeterTypeId is { } meterTypeId && !await db.MeterTypes.AnyAsync(t => t.Id == meterTypeId, cancellationToken))
        {
            errors["meter.meterTypeId"] = $"meter type {meterTypeId} does not exist";
        }

        if (errors.Count > 0)
        {
            return new RegistrationResult(null, null, errors, null);
        }

        var serial = meter.SerialNumber!.Trim();
        if (await db.Meters.AnyAsync(m => m.SerialNumber == serial, cancellationToken))
        {
            return new RegistrationResult(null, null, errors, $"a meter with serial number {serial} is already registered");
        }

        var now = clock.GetUtcNow();
        var customerId = await db.InsertWithInt64IdentityAsync(new CustomerRecord
        {
            Name = customer.Name!.Trim(),
            Surname = customer.Surname!.Trim(),
            Phone = customer.Phone!.Trim(),
            BirthDate = customer.BirthDate,
            Gender = customer.Gender,
            ConnectionTypeId = meter.ConnectionTypeId,
            CreatedAt = now,
        }, token: cancellationToken);
        await db.InsertAsync(new AddressRecord
        {
            CustomerId = customerId,
            VillageId = address.VillageId!.Value,
            Street = string.IsNullOrWhiteSpace(address.Street) ? null : address.Street.Trim(),
            Phone = customer.Phone.Trim(),
            Latitude = address.Latitude,
            Longitude = address.Longitude,
            IsPrimary = true,
            CreatedAt = now,
        }, token: cancellationToken);

        long meterId;
        try
        {
            meterId = await db.InsertWithInt64IdentityAsync(new MeterRecord
            {
                SerialNumber = serial,
                CustomerId = customerId,
                VillageId = address.VillageId.Value,
                TariffId = tariff!.Id,
                ManufacturerId = meter.ManufacturerId!.Value,
                ConnectionTypeId = meter.ConnectionTypeId,
                ConnectionGroupId = meter.ConnectionGroupId,
                MeterTypeId = meter.MeterTypeId,
                Latitude = address.Latitude,
                Longitude = address.Longitude,
                InUse = true,
                RegisteredAt = now,
            }, token: cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another registration took the serial between the check and the insert.
            return new RegistrationResult(null, null, errors, $"a meter with serial number {serial} is already registered");
        }

        await OpenAccessRateAccountAsync(db, meterId, tariff, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        await CustomerSearchText.RefreshAsync(db, customerId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RegistrationResult(customerId, meterId, errors, null);
    }

    /// <summary>Every meter whose tariff has an access rate gets an account: due one period after registration.</summary>
    public static async Task OpenAccessRateAccountAsync(MpmDb db, long meterId, TariffRecord tariff, DateOnly registeredOn, CancellationToken cancellationToken)
    {
        if (tariff is { AccessRateAmount: { } amount, AccessRatePeriodDays: { } days })
        {
            var state = AccessRate.Open(registeredOn, days);
            await db.InsertAsync(new AccessRateAccountRecord { MeterId = meterId, Amount = amount, PeriodDays = days, NextDue = state.NextDue, Debt = state.Debt }, token: cancellationToken);
        }
    }

    public static Dictionary<string, string> Validate(RegistrationRequest request)
    {
        var errors = new Dictionary<string, string>();
        var customer = request.Customer;
        var address = request.Address;
        var meter = request.Meter;
        if (customer is null)
        {
            errors["customer"] = "customer is required";
        }
        else
        {
            NameProblem(errors, "customer.name", customer.Name);
            NameProblem(errors, "customer.surname", customer.Surname);
            if (PhoneProblem(customer.Phone) is { } phone)
            {
                errors["customer.phone"] = phone;
            }

            if (customer.Gender is not (null or "female" or "male" or "other"))
            {
                errors["customer.gender"] = "gender must be female, male or other";
            }
        }

        if (address is null)
        {
            errors["address"] = "address is required";
        }
        else
        {
            if (address.VillageId is null)
            {
                errors["address.villageId"] = "villageId is required";
            }

            CoordinateProblems(errors, "address", address.Latitude, address.Longitude);
        }

        if (meter is null)
        {
            errors["meter"] = "meter is required";
        }
        else
        {
            if (string.IsNullOrWhiteSpace(meter.SerialNumber))
            {
                errors["meter.serialNumber"] = "serialNumber is required";
            }
            else if (meter.SerialNumber.Trim().Length > MaxSerialLength || !SerialPattern().IsMatch(meter.SerialNumber.Trim()))
            {
                errors["meter.serialNumber"] = $"serialNumber must be 1 to {MaxSerialLength} letters, digits or dashes";
            }

            if (meter.ManufacturerId is null)
            {
                errors["meter.manufacturerId"] = "manufacturerId is required";
            }

            if (meter.TariffId is null)
            {
                errors["meter.tariffId"] = "tariffId is required";
            }
        }

        return errors;
    }

    /// <summary>Phones are stored in international form, the form SMS gateways need.</summary>
    public static string? PhoneProblem(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? "phone is required"
        : PhonePattern().IsMatch(phone.Trim()) ? null
        : "phone must be in international form, e.g. +255712345678";

    public static void NameProblem(Dictionary<string, string> errors, string field, string? value)
    {
        var leaf = field[(field.LastIndexOf('.') + 1)..];
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = $"{leaf} is required";
        }
        else if (value.Trim().Count(char.IsLetter) < 2)
        {
            errors[field] = $"{leaf} must have at least 2 letters";
        }
        else if (value.Trim().Length > 100)
        {
            errors[field] = $"{leaf} must have at most 100 characters";
        }
    }

    public static void CoordinateProblems(Dictionary<string, string> errors, string prefix, decimal? latitude, decimal? longitude)
    {
        if (latitude is < -90 or > 90)
        {
            errors[$"{prefix}.latitude"] = "latitude must be between -90 and 90";
        }

        if (longitude is < -180 or > 180)
        {
            errors[$"{prefix}.longitude"] = "longitude must be between -180 and 180";
        }

        if (latitude is null != longitude is null)
        {
            errors[$"{prefix}.{(latitude is null ? "latitude" : "longitude")}"] = "latitude and longitude go together";
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]*$")]
    private static partial Regex SerialPattern();
}

/// <summary>The text the customer search box looks in: name, surname, phones, cities and meter serials.</summary>
public static class CustomerSearchText
{
    public static Task RefreshAsync(MpmDb db, long customerId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            UPDATE mpm.customers c SET search_text = lower(concat_ws(' ', c.name, c.surname, c.phone,
                (SELECT string_agg(concat_ws(' ', a.phone, v.name), ' ') FROM mpm.addresses a JOIN mpm.villages v ON v.id = a.village_id WHERE a.customer_id = c.id),
                (SELECT string_agg(m.serial_number, ' ') FROM mpm.meters m WHERE m.customer_id = c.id)))
            WHERE c.id = @id
            """, cancellationToken, new DataParameter("id", customerId));
}
