using MPM.Plugins.Sts.Engine;
using Xunit;
using static MPM.Plugins.Sts.Tests.Vectors;

namespace MPM.Plugins.Sts.Tests;

/// <summary>
/// STS 531-1-0-04 compliance vectors (DKGA04 + MISTY1) as published in NectarAPI/tokens-service,
/// src/test/java/ke/co/nectar/token/domain/token/STSComplianceTests_STS_531_1_0_04_CTSAxx.java.
/// Only vectors not already listed in PROTOCOLS.md §7 are repeated here. Each row names its Java test.
/// Common inputs: VK ABAB…01234567 (160-bit), SGC 123457, TI 01, KRN 1, KT 2, KEN 255, RND 5, base date 1993.
/// </summary>
public class Compliance04Tests
{
    private static DecoderKey Misty1(string pan = PanA, BaseDate baseDate = BaseDate.Year1993, string sgc = "123457", int ti = 1, int krn = 1) =>
        Dkga04(EncryptionAlgorithm.Misty1, pan, baseDate, sgc, ti, krn);

    // STSComplianceTests_STS_531_1_0_04_CTSA01.java (step1Test is PROTOCOLS.md §7 #18).
    [Theory]
    [InlineData("step2Test", PanA, BaseDate.Year1993, 1, CreditSubclass.Water, "2004-03-01 13:05", "47186281207955155808")]
    [InlineData("step3Test", PanA, BaseDate.Year1993, 1, CreditSubclass.Gas, "2004-03-01 13:10", "52059556253782091701")]
    [InlineData("step5Test", PanB, BaseDate.Year1993, 1, CreditSubclass.Electricity, "2004-03-01 13:20", "25453597494250138964")]
    [InlineData("step6Test", PanB, BaseDate.Year1993, 1, CreditSubclass.Water, "2004-03-01 13:25", "41136669315054818626")]
    [InlineData("step7Test", PanB, BaseDate.Year1993, 1, CreditSubclass.Gas, "2004-03-01 13:30", "22735221987748758248")]
    [InlineData("step9Test", PanA, BaseDate.Year2014, 4, CreditSubclass.Electricity, "2014-01-01 08:00", "13444522537517076834")]
    [InlineData("step10Test", PanA, BaseDate.Year2014, 4, CreditSubclass.Water, "2014-01-01 08:05", "03477912490596695895")]
    [InlineData("step11Test", PanA, BaseDate.Year2014, 4, CreditSubclass.Gas, "2014-01-01 08:10", "06094571069413075467")]
    [InlineData("step13Test", PanA, BaseDate.Year2035, 5, CreditSubclass.Electricity, "2035-01-01 08:00", "11907826947753213480")]
    [InlineData("step14Test", PanA, BaseDate.Year2035, 5, CreditSubclass.Water, "2035-01-01 08:05", "19640099949346431996")]
    [InlineData("step15Test", PanA, BaseDate.Year2035, 5, CreditSubclass.Gas, "2035-01-01 08:10", "11741155092330337876")]
    public void Ctsa01_CreditTokens(string javaTest, string pan, BaseDate baseDate, int krn, CreditSubclass subclass, string issued, string expected)
    {
        _ = javaTest;
        Assert.Equal(expected, StsTokens.Credit(Misty1(pan, baseDate, krn: krn), baseDate, Time(issued), subclass, 0.1m, Rnd));
    }

    // STSComplianceTests_STS_531_1_0_04_CTSA03_CTSA04.java, _CTSA06.java, _CTSA07.java, _CTSA09.java,
    // _CTSA12.java, _CTSA13.java and _CTSA14.java: management tokens.
    [Theory]
    [InlineData("CTSA03_CTSA04 step1CTSA03Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-03-28 09:01", 1000, "26521936751055502278")]
    [InlineData("CTSA03_CTSA04 step1CTSA04Test", PanA, ManagementSubclass.ClearCredit, "2004-03-28 09:15", 0xFFFF, "59725289138639529749")]
    [InlineData("CTSA03_CTSA04 step2CTSA04Test", PanB, ManagementSubclass.ClearCredit, "2004-03-28 09:16", 0xFFFF, "43917986274716482997")]
    [InlineData("CTSA06 step1CTSA05TestGenerationClearTamperConditionToken", PanA, ManagementSubclass.ClearTamperCondition, "2004-03-28 10:00", 0, "02455019196514047304")]
    [InlineData("CTSA07 step1CTSA05TestGenerationSetMaximumPhasePowerUnbalanceLimitToken", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-03-28 10:20", 10, "16135127146988830614")]
    [InlineData("CTSA09 step1CTSA09Test", PanA, ManagementSubclass.ClearCredit, "2004-03-29 00:00", 0xFFFF, "09791211239166238461")]
    // Issued "00:01" in the Java test; the published token carries TID 00:02 (see the 02 suite's CTSA09 note).
    [InlineData("CTSA09 step2CTSA09Test", PanA, ManagementSubclass.ClearCredit, "2004-03-29 00:02", 0xFFFF, "18070818655140104337")]
    [InlineData("CTSA09 step3CTSA09Test first minute", PanA, ManagementSubclass.ClearCredit, "2004-03-29 00:03", 0xFFFF, "59463760341829598722")]
    [InlineData("CTSA09 step3CTSA09Test second minute", PanA, ManagementSubclass.ClearCredit, "2004-03-29 00:04", 0xFFFF, "49512072598296997272")]
    [InlineData("CTSA09 step3CTSA09Test third minute", PanA, ManagementSubclass.ClearCredit, "2004-03-29 00:05", 0xFFFF, "59135803195278393273")]
    [InlineData("CTSA12 step1CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:00", 256, "58601433826945463485")]
    [InlineData("CTSA12 step2CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:05", 16383, "13997395479415026219")]
    [InlineData("CTSA12 step3CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:10", 16384, "18037738085263294820")]
    [InlineData("CTSA12 step4CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:15", 20000, "06738975074638745925")]
    [InlineData("CTSA12 step5CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:20", 180223, "66354091567942569601")]
    [InlineData("CTSA12 step6CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:25", 180224, "62853351521017859877")]
    [InlineData("CTSA12 step7CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:30", 1818623, "40984149905900332649")]
    [InlineData("CTSA12 step8CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:35", 1818624, "26882838654580901052")]
    [InlineData("CTSA12 step9CTSA12Test", PanA, ManagementSubclass.SetMaximumPowerLimit, "2004-04-01 07:40", 18201624, "29255956459122361629")]
    [InlineData("CTSA13 step1CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:00", 256, "23509767215559230954")]
    [InlineData("CTSA13 step2CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:05", 16383, "70247784567899484178")]
    [InlineData("CTSA13 step3CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:10", 16384, "36304916073545542570")]
    [InlineData("CTSA13 step4CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:15", 20000, "11066406403853302811")]
    [InlineData("CTSA13 step5CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:20", 180223, "25512033356036953640")]
    [InlineData("CTSA13 step6CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:25", 180224, "13785431682542358258")]
    [InlineData("CTSA13 step7CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:30", 1818623, "06889958680004063872")]
    [InlineData("CTSA13 step8CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:35", 1818624, "27410125084608663818")]
    [InlineData("CTSA13 step9CTSA13Test", PanA, ManagementSubclass.SetMaximumPhasePowerUnbalanceLimit, "2004-04-01 08:40", 18201624, "60786080230724485517")]
    [InlineData("CTSA14 step1CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:00", 0x0, "06768431134031257922")]
    [InlineData("CTSA14 step2CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:05", 0xFFFF, "59338638600207707879")]
    [InlineData("CTSA14 step3CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:10", 0x4, "48872720007959408665")]
    [InlineData("CTSA14 step4CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:15", 0x5, "51810809087550125677")]
    [InlineData("CTSA14 step5CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:20", 0x6, "13848051316848177124")]
    [InlineData("CTSA14 step6CTSA14Test", PanA, ManagementSubclass.ClearCredit, "2004-04-01 09:25", 0x7, "63506294564247105352")]
    public void ManagementTokens(string javaTest, string pan, ManagementSubclass subclass, string issued, long value, string expected)
    {
        _ = javaTest;
        Assert.Equal(expected, StsTokens.Management(Misty1(pan), BaseDate.Year1993, Time(issued), subclass, value, Rnd));
    }

    // STSComplianceTests_STS_531_1_0_04_CTSA10.java: amount boundaries for the three services.
    [Theory]
    [InlineData("step1CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:30", "25.6", "63638916334124550935")]
    [InlineData("step2CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:35", "1638.3", "06736163174944595611")]
    [InlineData("step3CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:40", "1638.4", "45798100519745983712")]
    [InlineData("step4CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:45", "2000.0", "08362487434932116862")]
    [InlineData("step5CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:50", "18022.3", "33933484656539803471")]
    [InlineData("step6CTSA10Test", CreditSubclass.Electricity, "2004-04-01 00:55", "18022.4", "40075282658655256325")]
    [InlineData("step7CTSA10Test", CreditSubclass.Electricity, "2004-04-01 01:44", "181862.3", "00383912203740575049")]
    [InlineData("step8CTSA10Test", CreditSubclass.Electricity, "2004-04-01 01:49", "181862.4", "32272089791250978565")]
    [InlineData("step9CTSA10Test", CreditSubclass.Electricity, "2004-04-01 01:54", "1820162.4", "44964671935361377806")]
    [InlineData("step10CTSA10Test", CreditSubclass.Water, "2004-04-01 00:30", "25.6", "08844040967758161989")]
    [InlineData("step11CTSA10Test", CreditSubclass.Water, "2004-04-01 00:35", "1638.3", "41707569065487034639")]
    [InlineData("step12CTSA10Test", CreditSubclass.Water, "2004-04-01 00:40", "1638.4", "61826851589850099670")]
    [InlineData("step13CTSA10Test", CreditSubclass.Water, "2004-04-01 00:45", "2000.0", "72478269627942954182")]
    [InlineData("step14CTSA10Test", CreditSubclass.Water, "2004-04-01 00:50", "18022.3", "12311110365531155223")]
    [InlineData("step15CTSA10Test", CreditSubclass.Water, "2004-04-01 00:55", "18022.4", "68979561791500831417")]
    [InlineData("step16CTSA10Test", CreditSubclass.Water, "2004-04-01 01:44", "181862.3", "36130214068866912790")]
    [InlineData("step17CTSA10Test", CreditSubclass.Water, "2004-04-01 01:49", "181862.4", "49560207524955523897")]
    [InlineData("step18CTSA10Test", CreditSubclass.Water, "2004-04-01 01:54", "1820162.4", "47575512827888817714")]
    [InlineData("step19CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:30", "25.6", "34672027639183365663")]
    [InlineData("step20CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:35", "1638.3", "70087969935165138265")]
    [InlineData("step21CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:40", "1638.4", "60875440664020961982")]
    [InlineData("step22CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:45", "2000.0", "16605563156243942378")]
    [InlineData("step23CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:50", "18022.3", "16614677156798904170")]
    [InlineData("step24CTSA10Test", CreditSubclass.Gas, "2004-04-01 00:55", "18022.4", "49208263727993294856")]
    [InlineData("step25CTSA10Test", CreditSubclass.Gas, "2004-04-01 01:44", "181862.3", "38374198840578367339")]
    [InlineData("step26CTSA10Test", CreditSubclass.Gas, "2004-04-01 01:49", "181862.4", "34384673009506006509")]
    [InlineData("step27CTSA10Test", CreditSubclass.Gas, "2004-04-01 01:54", "1820162.4", "40332503820747813730")]
    public void Ctsa10_AmountBoundaries(string javaTest, CreditSubclass subclass, string issued, string amount, string expected)
    {
        _ = javaTest;
        Assert.Equal(expected, StsTokens.Credit(Misty1(), BaseDate.Year1993, Time(issued), subclass, Amount(amount), Rnd));
    }

    // STSComplianceTests_STS_531_1_0_04_CTSA05.java: key change to a 128-bit key, all four sections
    // (subclasses 3, 4, 8, 9), encrypted under the current key (TI 01, KRN 1, base 1993).
    [Fact]
    public void Ctsa05_Step1_KeyChangeToTariffIndex2_AllFourSections()
    {
        var newParameters = Parameters(EncryptionAlgorithm.Misty1, ti: 2);
        var newKey = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Vk160, newParameters);
        Assert.Equal(
            ["34812744915211133004", "46903925208523674737", "71464563847088610152", "67904239402617643990"],
            StsTokens.KeyChange(Misty1(), newKey, KeyChangeFields.For(newParameters)));
    }

    // STSComplianceTests_STS_531_1_0_04_CTSA05.java: step2…FlippedRollOverBit (new key on base date 2014,
    // KRN 4, TI 02, rollover set) and step3… (meter PAN-B). The Java tests check the first two sections only.
    [Theory]
    [InlineData("step2CTSA05TestGeneratingFirst/SecondSectionFlippedRollOverBit", PanA, BaseDate.Year2014, 4, true, "56493341861242437581", "51757380361191578258")]
    [InlineData("step3CTSA05TestGeneratingFirst/SecondSection", PanB, BaseDate.Year1993, 1, false, "29594465524699505864", "09506536067814156547")]
    public void Ctsa05_KeyChange_FirstTwoSections(string javaTest, string pan, BaseDate newBaseDate, int newKrn, bool rollover, string first, string second)
    {
        _ = javaTest;
        var newParameters = Parameters(EncryptionAlgorithm.Misty1, pan, newBaseDate, ti: 2, krn: newKrn);
        var newKey = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Vk160, newParameters);
        var tokens = StsTokens.KeyChange(Misty1(pan), newKey, KeyChangeFields.For(newParameters, rollover: rollover));
        Assert.Equal([first, second], tokens.Take(2));
        Assert.Equal(4, tokens.Count);
    }

    // STSComplianceTests_STS_531_1_0_04_CTSA19.java: key change (four sections) followed by a 0.1 kWh
    // credit token under the NEW key. KT 2, RO 0.
    [Theory]
    [InlineData("step1CTSA19Test", 1, "123457", 2, 1, 255, "2004-04-01 10:00",
        "34812744915211133004", "46903925208523674737", "71464563847088610152", "67904239402617643990", "52522044994700766563")]
    [InlineData("step2CTSA19Test", 1, "123457", 1, 2, 255, "2004-04-01 10:10",
        "40937788669556693706", "55900126766830063715", "70168064023104948668", "31051353433275215300", "10334212364124071208")]
    [InlineData("step3CTSA19Test", 2, "123457", 1, 7, 170, "2004-04-01 10:15",
        "65626097193581652906", "45273086784967754458", "60343449063848563711", "62570694794795906368", "06390659512322397973")]
    [InlineData("step4CTSA19Test", 1, "123461", 1, 1, 255, "2004-04-01 10:20",
        "14459740122691785207", "16084994560056931733", "38603700611597183668", "07926972461094669048", "22571219105476013350")]
    public void Ctsa19_KeyChangeThenCreditUnderNewKey(string javaTest, int currentKrn, string newSgc, int newTi, int newKrn, int ken, string issued,
        string first, string second, string third, string fourth, string credit)
    {
        _ = javaTest;
        var newParameters = Parameters(EncryptionAlgorithm.Misty1, sgc: newSgc, ti: newTi, krn: newKrn);
        var newKey = DecoderKeyGenerator.Derive(KeyGenerationAlgorithm.Dkga04, Vk160, newParameters);
        Assert.Equal([first, second, third, fourth],
            StsTokens.KeyChange(Misty1(krn: currentKrn), newKey, KeyChangeFields.For(newParameters, ken)));
        Assert.Equal(credit, StsTokens.Credit(newKey, BaseDate.Year1993, Time(issued), CreditSubclass.Electricity, 0.1m, Rnd));
    }
}
