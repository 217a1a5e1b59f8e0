using MPM.Web.Features.Transactions;
using Xunit;

namespace MPM.Core.Tests.TransactionPages;

public sealed class TransactionCsvTests
{
    [Theory]
    [InlineData("Asha Mwita", "Asha Mwita")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+255712000001", "'+255712000001")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a=b", "a=b")]
    [InlineData("Kombo, Juma", "\"Kombo, Juma\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    public void A_cell_is_neutralised_when_a_spreadsheet_would_run_it_and_quoted_when_it_must_be(string? value, string expected)
    {
        Assert.Equal(expected, TransactionCsv.Cell(value));
    }

    [Fact]
    public void A_line_joins_its_cells_with_commas_and_ends_with_crlf()
    {
        Assert.Equal("1,,\"a,b\",'=x\r\n", TransactionCsv.Line(["1", null, "a,b", "=x"]));
    }
}
