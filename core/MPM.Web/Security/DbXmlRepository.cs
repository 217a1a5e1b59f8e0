using System.Xml.Linq;
using LinqToDB;
using Microsoft.AspNetCore.DataProtection.Repositories;
using MPM.Data;

namespace MPM.Web.Security;

/// <summary>Keeps the Data Protection key ring in the database, so every host instance can decrypt secrets and cookies.</summary>
public sealed class DbXmlRepository(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = database.Connect();
        return db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = database.Connect();
        db.Insert(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
